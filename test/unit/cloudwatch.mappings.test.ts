import { severityFromMarkers, transitionFromState } from '../../src/sources/cloudwatch/cloudwatch.mappings';

describe('transitionFromState', () => {
  test.each([
    ['ALARM', 'triggered'],
    ['OK', 'recovered'],
    ['INSUFFICIENT_DATA', 'no_data'],
    ['insufficient data', 'no_data'],
    ['ok', 'recovered'],
  ])('when NewStateValue is %s, then %s', (state, transition) => {
    expect(transitionFromState(state)).toBe(transition);
  });

  test.each(['', 'ALARMING', 'RECOVERED', 'constructor', '__proto__', 'toString'])(
    'when NewStateValue is %j, then no transition',
    (state) => {
      expect(transitionFromState(state)).toBeNull();
    },
  );
});

describe('severityFromMarkers', () => {
  test.each([
    ['severity:p1', 'P1'],
    ['severity:p2', 'P2'],
    ['severity:p3', 'P3'],
    ['severity:p4', 'P4'],
    ['severity:p5', 'P5'],
    ['severity:critical', 'P1'],
    ['severity:high', 'P2'],
    ['severity:major', 'P2'],
    ['severity:medium', 'P3'],
    ['severity:warning', 'P3'],
    ['severity:minor', 'P4'],
    ['severity:low', 'P4'],
    ['severity:info', 'P5'],
  ])('when a text says %s, then %s', (text, severity) => {
    expect(severityFromMarkers([text])).toBe(severity);
  });

  test.each([
    ['P1-prod-api-5xx', 'P1'],
    ['P2 disk full', 'P2'],
    ['[P3] latency', 'P3'],
    ['p4_queue', 'P4'],
    ['P5', 'P5'],
    ['P1: checkout', 'P1'],
    ['P2.api', 'P2'],
    ['[P1]', 'P1'],
    ['Checkout errors. Severity = High', 'P2'],
    ['severity: CRITICAL, page the on-call', 'P1'],
    ['(severity=warning)', 'P3'],
    ['Severity:P2', 'P2'],
    ['P1 but severity:low', 'P1'],
  ])('when the text is %j, then %s', (text, severity) => {
    expect(severityFromMarkers([text])).toBe(severity);
  });

  test.each([
    'api P1 errors',
    'P0-api',
    'P6-api',
    'P10-api',
    'P1x-api',
    'AP1-api',
    ' P1-api',
    'noseverity:high',
    'severity:',
    'severity:urgent',
    'severity:__proto__',
    'severity:constructor',
    'severity-high',
    '',
  ])('when the text is %j, then no severity', (text) => {
    expect(severityFromMarkers([text])).toBeNull();
  });

  test('when the first text has no marker, then the next one speaks; the first marker found wins', () => {
    expect(severityFromMarkers([null, 'severity:low'])).toBe('P4');
    expect(severityFromMarkers(['api-cpu', 'P3 api'])).toBe('P3');
    expect(severityFromMarkers(['P2-api', 'P1 api'])).toBe('P2');
    expect(severityFromMarkers([null, null])).toBeNull();
    expect(severityFromMarkers([])).toBeNull();
  });
});
