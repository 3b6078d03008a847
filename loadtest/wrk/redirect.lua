-- GET /{phrase} for a random phrase of PHRASES_FILE (one per line), browser User-Agent, the 301 not followed.
-- Requests are formatted once in init, so each one costs wrk a table lookup: the generator stays cheap.
dofile(os.getenv("WRK_LUA_DIR") .. "/common.lua")

local requests = {}

function init(args)
  local headers = { ["User-Agent"] = BROWSER_UA }
  for i, phrase in ipairs(read_lines(os.getenv("PHRASES_FILE"))) do
    requests[i] = wrk.format("GET", "/" .. phrase, headers)
  end
  math.randomseed(tonumber(os.getenv("WRK_SEED") or "1"))
end

function request()
  return requests[math.random(#requests)]
end

done = report
