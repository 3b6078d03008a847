-- POST /v1/links with a JSON body (a thousand different targets, formatted once), the API key in X-Offnd-Api-Key.
-- The body is what the k6 creation scenario sends; the server draws the phrase.
dofile(os.getenv("WRK_LUA_DIR") .. "/common.lua")

local requests = {}

function init(args)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Offnd-Api-Key"] = os.getenv("API_KEY") or "",
    ["User-Agent"] = BROWSER_UA,
  }
  math.randomseed(tonumber(os.getenv("WRK_SEED") or "1"))
  for i = 1, 1000 do
    local body = string.format(
      '{"targetUrl":"https://example.com/articles/%d/%08x?utm_source=bench","languageId":%d,"themeId":0,"formatId":%d}',
      i, math.random(0, 0x7fffffff), i % 2, math.floor(i / 2) % 2)
    requests[i] = wrk.format("POST", "/v1/links", headers, body)
  end
end

function request()
  return requests[math.random(#requests)]
end

done = report
