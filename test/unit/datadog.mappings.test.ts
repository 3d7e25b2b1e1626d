import {
  severityFromPriority,
  transitionFromAlertType,
  transitionFromWord,
} from '../../src/sources/datadog/datadog.mappings';

describe('severityFromPriority', () => {
  test('when the priority is a bare digit 1..5, then it is P1..P5', () => {
    expect(['1', '2', '3', '4', '5'].map(severityFromPriority)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
  });

  test('when the priority has spaces around it, then they are ignored', () => {
    expect(severityFromPriority(' p2 ')).toBe('P2');
  });

  test('when the priority is not P1..P5, then there is no severity', () => {
    expect(['normal', 'low', '0', '6', 'P6', ''].map(severityFromPriority)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('transitionFromAlertType', () => {
  test('when $ALERT_TYPE is error, warning or success, then it is triggered, warn or recovered', () => {
    expect(['error', 'warning', 'success'].map(transitionFromAlertType)).toEqual([
      'triggered',
      'warn',
      'recovered',
    ]);
  });

  test('when $ALERT_TYPE is info, then it names no transition', () => {
    expect(transitionFromAlertType('info')).toBeNull();
  });
});

describe('transitionFromWord', () => {
  test('when the word is spelled with spaces, dashes or capitals, then it still names its transition', () => {
    expect(['Re-No Data', 'RE NOTIFY', 'no_data'].map(transitionFromWord)).toEqual([
      'no_data',
      'retriggered',
      'no_data',
    ]);
  });
});
