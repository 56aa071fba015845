import { describe, expect, it } from 'vitest';
import { DEV_DEFAULTS, EnvError, parseDurationSeconds, parseEnv } from './env';

const strongSecret = 'q3V9m2Lk8Zx1Rt7Yp4Wn6Hs0Jd5Fb2Gc';

function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    parseEnv(raw);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).problems;
  }
}

describe('parseEnv', () => {
  it('gives working development defaults for an empty environment', () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe(DEV_DEFAULTS.DATABASE_URL);
    expect(env.REDIS_URL).toBe(DEV_DEFAULTS.REDIS_URL);
    expect(env.JWT_TTL).toBe(15 * 60);
    expect(env.REFRESH_TTL).toBe(7 * 86_400);
    expect(env.BUREAU_TOTP_REQUIRED).toBe(false);
    expect(env.TOTP_ENCRYPTION_KEY).toBeUndefined();
    expect(env.CLIENT_DIST).toBe('dist/client');
    expect(env.QUEUE_PREFIX).toBe('zz');
  });

  it('coerces numbers and durations', () => {
    const env = parseEnv({ PORT: '8080', JWT_TTL: '30m', LOGIN_RATE_WINDOW: '60', LOGIN_RATE_LIMIT: '5' });
    expect(env.PORT).toBe(8080);
    expect(env.JWT_TTL).toBe(1800);
    expect(env.LOGIN_RATE_WINDOW).toBe(60);
    expect(env.LOGIN_RATE_LIMIT).toBe(5);
  });

  it('reads the session and two-factor settings', () => {
    const env = parseEnv({ REFRESH_TTL: '12h', BUREAU_TOTP_REQUIRED: 'true', TOTP_ENCRYPTION_KEY: 'k'.repeat(32) });
    expect(env.REFRESH_TTL).toBe(12 * 3600);
    expect(env.BUREAU_TOTP_REQUIRED).toBe(true);
    expect(parseEnv({ BUREAU_TOTP_REQUIRED: '0' }).BUREAU_TOTP_REQUIRED).toBe(false);
    const problems = problemsOf({ REFRESH_TTL: '1m', BUREAU_TOTP_REQUIRED: 'yes', TOTP_ENCRYPTION_KEY: 'short' });
    expect(problems.some((p) => p.startsWith('REFRESH_TTL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('BUREAU_TOTP_REQUIRED:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('TOTP_ENCRYPTION_KEY:'))).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', LOG_LEVEL: '  ' }).PORT).toBe(3000);
  });

  it('ignores variables it does not know', () => {
    expect(() => parseEnv({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });

  it('names every bad variable', () => {
    const problems = problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_TTL: 'forever' });
    expect(problems.some((p) => p.startsWith('PORT:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('DATABASE_URL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('LOG_LEVEL:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('JWT_TTL:'))).toBe(true);
  });

  it('puts the variable names in the error message', () => {
    expect(() => parseEnv({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });

  describe('in production', () => {
    const good = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://app:pw@db:5432/admissions',
      REDIS_URL: 'redis://redis:6379',
      JWT_SECRET: strongSecret,
    };

    it('starts with explicit URLs and a strong secret', () => {
      expect(parseEnv(good).NODE_ENV).toBe('production');
    });

    it('requires two-factor sign-in of bureau accounts unless told otherwise', () => {
      expect(parseEnv(good).BUREAU_TOTP_REQUIRED).toBe(true);
      expect(parseEnv({ ...good, BUREAU_TOTP_REQUIRED: 'false' }).BUREAU_TOTP_REQUIRED).toBe(false);
    });

    it('refuses to start without explicit DATABASE_URL and REDIS_URL', () => {
      const problems = problemsOf({ NODE_ENV: 'production', JWT_SECRET: strongSecret });
      expect(problems).toEqual(
        expect.arrayContaining([expect.stringMatching(/^DATABASE_URL:/), expect.stringMatching(/^REDIS_URL:/)]),
      );
    });

    it('refuses a missing, short, default or repetitive JWT secret', () => {
      expect(problemsOf({ ...good, JWT_SECRET: undefined })).toEqual([expect.stringMatching(/^JWT_SECRET: must be set/)]);
      expect(problemsOf({ ...good, JWT_SECRET: 'short-secret' })).toEqual([expect.stringMatching(/^JWT_SECRET: must be at least 32/)]);
      expect(problemsOf({ ...good, JWT_SECRET: 'please-change-this-secret-in-production' })).toEqual([
        expect.stringMatching(/^JWT_SECRET: is a known default/),
      ]);
      expect(problemsOf({ ...good, JWT_SECRET: 'a'.repeat(40) })).toEqual([expect.stringMatching(/^JWT_SECRET:/)]);
    });
  });

  it('accepts the development default secret outside production', () => {
    expect(parseEnv({ NODE_ENV: 'test' }).JWT_SECRET).toBe(DEV_DEFAULTS.JWT_SECRET);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['45', 45],
    ['45s', 45],
    ['30m', 1800],
    ['8h', 28_800],
    ['2d', 172_800],
  ])('%s -> %d', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds));

  it('rejects other text', () => {
    expect(parseDurationSeconds('8 hours')).toBeNull();
    expect(parseDurationSeconds('-5m')).toBeNull();
  });
});
