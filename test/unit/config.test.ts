import { ConfigError, loadConfig } from '../../config';

const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('when only the secrets are set, then the documented defaults apply', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      mongodbUri: 'mongodb://127.0.0.1:27017/hindsight',
      displayTimezone: 'UTC',
      reopenWindowSeconds: 1800,
      serviceTagKeys: ['service'],
      openingTransitions: ['triggered', 'retriggered'],
      bodyLimitBytes: 1024 * 1024,
    });
    expect(config.webhookTokens.datadog).toBe(base.WEBHOOK_TOKEN);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several variables are bad, then every one is named in one error', () => {
    const problems = problemsOf({
      API_TOKEN: 'short',
      PORT: 'eighty',
      DISPLAY_TIMEZONE: 'Mars/Olympus',
      REDIS_URL: 'http://x',
      OPENING_TRANSITIONS: 'triggered,exploded',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining(['API_TOKEN', 'PORT', 'DISPLAY_TIMEZONE', 'REDIS_URL', 'OPENING_TRANSITIONS.1']),
    );
  });

  it('when no webhook token is set, then the error says which variables would do', () => {
    expect(problemsOf({ API_TOKEN: base.API_TOKEN }).join('\n')).toMatch(
      /WEBHOOK_TOKEN.*WEBHOOK_TOKEN_DATADOG/,
    );
  });

  it('when API_TOKEN is missing, then it is named as required', () => {
    expect(problemsOf({ WEBHOOK_TOKEN: base.WEBHOOK_TOKEN })).toContain('API_TOKEN: is required');
  });

  it('when a source token is set, then it overrides the shared one for that source', () => {
    const config = loadConfig({ ...base, WEBHOOK_TOKEN_DATADOG: 'd'.repeat(20) });
    expect(config.webhookTokens.datadog).toBe('d'.repeat(20));
  });

  it('when lists and numbers are given, then they are parsed', () => {
    const config = loadConfig({
      ...base,
      SERVICE_TAG_KEYS: 'service, app ,',
      OPENING_TRANSITIONS: 'triggered,warn',
      REOPEN_WINDOW_SECONDS: '60',
      PUBLIC_URL: 'https://hindsight.example.com/',
    });
    expect(config.serviceTagKeys).toEqual(['service', 'app']);
    expect(config.openingTransitions).toEqual(['triggered', 'retriggered', 'warn']);
    expect(config.reopenWindowSeconds).toBe(60);
    expect(config.publicUrl).toBe('https://hindsight.example.com');
  });

  it('when a variable is set to an empty string, then it counts as unset', () => {
    expect(loadConfig({ ...base, PORT: '' }).port).toBe(3000);
  });
});
