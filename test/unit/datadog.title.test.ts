import { findMonitorLink, parseTitle } from '../../src/sources/datadog/datadog.title';

describe('parseTitle', () => {
  test('when a known bracket comes after the name, then it is not a prefix and stays in the name', () => {
    expect(parseTitle('CPU high [Triggered] on web-1')).toEqual({
      transitionWord: null,
      scope: null,
      severity: null,
      isTest: false,
      name: 'CPU high [Triggered] on web-1',
    });
  });

  test('when several spaces separate "on" from the group, then the group is still the scope', () => {
    const parts = parseTitle('[Triggered on   {host:web-1}] CPU high');
    expect(parts).toMatchObject({ transitionWord: 'Triggered', scope: 'host:web-1', name: 'CPU high' });
  });

  test('when a space comes between the group and the closing bracket, then the group is still the scope', () => {
    const parts = parseTitle('[Triggered on {host:web-1} ] CPU high');
    expect(parts).toMatchObject({ transitionWord: 'Triggered', scope: 'host:web-1', name: 'CPU high' });
  });

  test('when the test mark is in lower case or padded, then the title is a test and the mark leaves the name', () => {
    expect(parseTitle('[test] Disk full')).toMatchObject({ isTest: true, name: 'Disk full' });
    expect(parseTitle('[ TEST ] Disk full')).toMatchObject({ isTest: true, name: 'Disk full' });
  });

  test('when TEST or a priority carries a group, then it is not a known prefix and stays in the name', () => {
    expect(parseTitle('[TEST on {host:a}] Disk full')).toEqual({
      transitionWord: null,
      scope: null,
      severity: null,
      isTest: false,
      name: '[TEST on {host:a}] Disk full',
    });
    expect(parseTitle('[P1 on {host:a}] Disk full')).toMatchObject({
      severity: null,
      name: '[P1 on {host:a}] Disk full',
    });
  });

  test('when nine prefixes lead the title, then only the first eight are read', () => {
    const parts = parseTitle(`${'[P2] '.repeat(8)}[Triggered] Disk full`);
    expect(parts).toMatchObject({ severity: 'P2', transitionWord: null, name: '[Triggered] Disk full' });
  });

  test('when the title is longer than 2000 characters, then only its first 2000 are read', () => {
    const parts = parseTitle(`[Warn] ${'n'.repeat(1993)}${'x'.repeat(500)} [TEST]`);
    expect(parts.transitionWord).toBe('Warn');
    expect(parts.name).toBe('n'.repeat(1993));
    expect(parts.isTest).toBe(false);
  });
});

describe('findMonitorLink', () => {
  test('when the link is plain http with a port, then origin and port are kept', () => {
    expect(findMonitorLink('see http://localhost:8080/monitors/12?x=1')).toEqual({
      monitorId: '12',
      url: 'http://localhost:8080/monitors/12',
    });
  });

  test('when the port has several digits on https, then the link is found', () => {
    expect(findMonitorLink('https://dd.example.com:8443/monitors#4021')).toEqual({
      monitorId: '4021',
      url: 'https://dd.example.com:8443/monitors/4021',
    });
  });

  test('when the only link lies beyond the first 100000 characters, then there is none', () => {
    const text = `${'x'.repeat(100_000)} https://app.datadoghq.com/monitors/1`;
    expect(findMonitorLink(text)).toBeNull();
  });

  test('when the text has no monitor link, then there is none', () => {
    expect(findMonitorLink('https://app.datadoghq.com/dashboard/abc')).toBeNull();
  });
});
