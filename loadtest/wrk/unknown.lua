-- GET /{phrase} for a phrase nobody created, different on every request: the flood of unknown phrases that must
-- not grow the api's memory beyond its bounded caches. Each answer is a 404, which wrk counts as a status error.
dofile(os.getenv("WRK_LUA_DIR") .. "/common.lua")

local headers = { ["User-Agent"] = BROWSER_UA }
local counter = 0
local prefix = "nobody-made-this-"

function init(args)
  math.randomseed(tonumber(os.getenv("WRK_SEED") or "1"))
  prefix = prefix .. string.format("%08x", math.random(0, 0x7fffffff)) .. "-"
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/" .. prefix .. counter, headers)
end

done = report
