import { z } from 'zod';
import { ConfigError, parseConfig } from '../config/load';
import { rateLimitConfigSchema, rateLimitSettings } from './rate-limit-config';

describe('rateLimitConfigSchema', () => {
  it('defaults to the documented limits', () => {
    const settings = rateLimitSettings(parseConfig(rateLimitConfigSchema, {}));

    expect(settings).toEqual({
      enabled: true,
      allowList: [],
      api: { perKeyPoints: 1000, perIpPoints: 100, durationSec: 60, queueSize: 10 },
      redirect: { capacity: 60, refillTokens: 10, refillIntervalSec: 10, maxClients: 100_000 },
    });
  });

  it('reads overrides, treats empty values as unset and merges into a larger schema', () => {
    const schema = z.object({ PORT: z.coerce.number().default(8080), ...rateLimitConfigSchema.shape });

    const config = parseConfig(schema, {
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_API_QUEUE: '0',
      RATE_LIMIT_API_KEY_PER_MIN: '',
      RATE_LIMIT_REDIRECT_BURST: '5',
      RATE_LIMIT_ALLOW_LIST: '127.0.0.1/32, ::1,10.0.0.0/8,',
    });

    expect(config.PORT).toBe(8080);
    expect(config.RATE_LIMIT_ENABLED).toBe(false);
    expect(config.RATE_LIMIT_API_QUEUE).toBe(0);
    expect(config.RATE_LIMIT_API_KEY_PER_MIN).toBe(1000);
    expect(config.RATE_LIMIT_REDIRECT_BURST).toBe(5);
    expect(config.RATE_LIMIT_ALLOW_LIST).toEqual(['127.0.0.1/32', '::1', '10.0.0.0/8']);
  });

  it('rejects every invalid key at once', () => {
    let issues: readonly string[] = [];

    try {
      parseConfig(rateLimitConfigSchema, {
        RATE_LIMIT_ENABLED: 'maybe',
        RATE_LIMIT_API_IP_PER_MIN: '0',
        RATE_LIMIT_ALLOW_LIST: '1.2.3.4,nope,1.2.3.4/33',
      });
    } catch (error) {
      if (error instanceof ConfigError) issues = error.issues;
    }

    expect(issues.map((issue) => issue.split(':')[0])).toEqual([
      'RATE_LIMIT_ENABLED',
      'RATE_LIMIT_API_IP_PER_MIN',
      'RATE_LIMIT_ALLOW_LIST.1',
      'RATE_LIMIT_ALLOW_LIST.2',
    ]);
  });
});
