import { loadConfig } from '../../config';
import { configProblemsOf } from '../helpers/config';
import { SOURCES, envSuffix, secretVariable, tokenVariable } from '../../src/sources';

const base = { WEBHOOK_TOKEN: 'w'.repeat(20), API_TOKEN: 'a'.repeat(20) };

const problemsOf = configProblemsOf;

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

describe('loadConfig: what each source in the list reads', () => {
  it('when no webhook token is set, then one problem names every source variable that would do', () => {
    const problems = problemsOf({ API_TOKEN: base.API_TOKEN }).filter((p) => p.startsWith('WEBHOOK_TOKEN'));
    expect(problems).toHaveLength(1);
    for (const source of SOURCES) expect(problems[0]).toContain(tokenVariable(source.name));
  });

  it('when only a shared token is set, then every source in the list has it', () => {
    const config = loadConfig(base);
    expect(Object.keys(config.webhookTokens).sort()).toEqual(SOURCES.map((s) => s.name).sort());
    expect(new Set(Object.values(config.webhookTokens))).toEqual(new Set([base.WEBHOOK_TOKEN]));
  });

  it('when every source has its own token and no shared one is set, then the configuration loads', () => {
    const own = Object.fromEntries(
      SOURCES.map((s, i) => [tokenVariable(s.name), `${s.name}-token-${i}`.padEnd(20, 'x')]),
    );
    const config = loadConfig({ API_TOKEN: base.API_TOKEN, ...own });
    for (const source of SOURCES)
      expect(config.webhookTokens[source.name]).toBe(own[tokenVariable(source.name)]);
  });

  it('when a source token is too short, then its own variable is named', () => {
    const name = tokenVariable(SOURCES[0]!.name);
    expect(problemsOf({ ...base, [name]: 'short' })).toContain(`${name}: must be at least 16 characters`);
  });

  it('when no signature secret is set, then no source has one, and the tolerance is five minutes', () => {
    const config = loadConfig(base);
    expect(config.webhookSecrets).toEqual({});
    expect(config.signatureToleranceSeconds).toBe(300);
  });

  it.each([['0'], ['-5'], ['86401'], ['soon']])(
    'when WEBHOOK_SIGNATURE_TOLERANCE_SECONDS is %s, then it is named',
    (value) => {
      expect(
        problemsOf({ ...base, WEBHOOK_SIGNATURE_TOLERANCE_SECONDS: value }).map((p) => p.split(':')[0]),
      ).toContain('WEBHOOK_SIGNATURE_TOLERANCE_SECONDS');
    },
  );

  it('when the tolerance is set, then it is read as seconds', () => {
    expect(loadConfig({ ...base, WEBHOOK_SIGNATURE_TOLERANCE_SECONDS: '60' }).signatureToleranceSeconds).toBe(
      60,
    );
  });

  it('when a source name has a dash, then its variables use an underscore', () => {
    expect([envSuffix('uptime-kuma'), tokenVariable('uptime-kuma'), secretVariable('uptime-kuma')]).toEqual([
      'UPTIME_KUMA',
      'WEBHOOK_TOKEN_UPTIME_KUMA',
      'WEBHOOK_SECRET_UPTIME_KUMA',
    ]);
  });
});

describe('Datadog enrichment configuration', () => {
  const keys = { DD_API_KEY: 'a'.repeat(32), DD_APP_KEY: 'b'.repeat(40) };

  it('when no Datadog key is set, then enrichment is off', () => {
    expect(loadConfig(base).datadog).toBeNull();
  });

  it('when both keys are set, then it is on with the documented defaults', () => {
    expect(loadConfig({ ...base, ...keys }).datadog).toEqual({
      api: {
        apiKey: keys.DD_API_KEY,
        appKey: keys.DD_APP_KEY,
        site: 'datadoghq.com',
        apiUrl: null,
        timeoutMs: 10_000,
        maxResponseBytes: 8 * 1024 * 1024,
      },
      appUrl: 'https://app.datadoghq.com',
      changeWindowMinutes: 60,
      exportNotebooks: false,
    });
  });

  it('when the change window, notebooks and a regional site are set, then they are taken', () => {
    const config = loadConfig({
      ...base,
      ...keys,
      DD_SITE: 'us5.datadoghq.com',
      DD_CHANGE_EVENTS_WINDOW_MINUTES: '90',
      DD_EXPORT_NOTEBOOKS: 'true',
    });
    expect(config.datadog).toMatchObject({
      appUrl: 'https://us5.datadoghq.com',
      changeWindowMinutes: 90,
      exportNotebooks: true,
    });
  });

  it.each([
    ['DD_CHANGE_EVENTS_WINDOW_MINUTES', '0'],
    ['DD_CHANGE_EVENTS_WINDOW_MINUTES', '1441'],
    ['DD_CHANGE_EVENTS_WINDOW_MINUTES', 'an hour'],
    ['DD_EXPORT_NOTEBOOKS', 'yes'],
  ])('when %s is %s, then the start is refused naming it', (name, value) => {
    expect(() => loadConfig({ ...base, ...keys, [name]: value })).toThrow(name);
  });

  it('when the site and a base URL are set, then they are taken', () => {
    const config = loadConfig({
      ...base,
      ...keys,
      DD_SITE: 'datadoghq.eu',
      DD_API_URL: 'http://127.0.0.1:9999/',
    });
    expect(config.datadog).toMatchObject({ api: { site: 'datadoghq.eu', apiUrl: 'http://127.0.0.1:9999' } });
  });

  it('when one key is set without the other, or values are bad, then each is named, and no key is quoted', () => {
    const problems = problemsOf({
      ...base,
      DD_API_KEY: keys.DD_API_KEY,
      DD_SITE: 'datadoghq.org',
      DD_API_URL: 'ftp://x',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['DD_SITE', 'DD_API_URL']);
    expect(problems.join('\n')).not.toContain(keys.DD_API_KEY);
    expect(problemsOf({ ...base, DD_API_KEY: keys.DD_API_KEY })).toEqual([
      'DD_APP_KEY: is required with DD_API_KEY (Datadog enrichment needs both)',
    ]);
    expect(problemsOf({ ...base, DD_APP_KEY: keys.DD_APP_KEY })).toEqual([
      'DD_API_KEY: is required with DD_APP_KEY (Datadog enrichment needs both)',
    ]);
  });
});
