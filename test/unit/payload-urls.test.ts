/** Links and hosts from payloads (src/payloads/urls.ts). */
import { hostnameOf, webLink } from '../../src/payloads/urls';

describe('hostnameOf', () => {
  test.each([
    ['https://shop.example.com/health', 'shop.example.com'],
    ['http://10.0.0.5:8080/status', '10.0.0.5'],
    ['shop.example.com', 'shop.example.com'],
    ['shop.example.com:8443', 'shop.example.com'],
    ['192.0.2.10', '192.0.2.10'],
    ['ping://192.0.2.11', '192.0.2.11'],
    ['HTTPS://Shop.Example.com/', 'shop.example.com'],
  ])('when the target is %j, then its host is %j', (target, host) => {
    expect(hostnameOf(target)).toBe(host);
  });

  test.each(['not a url', '', 'http://', 'https://', 'file:///etc/passwd'])(
    'when the target is %j, then it has no host',
    (target) => {
      expect(hostnameOf(target)).toBeNull();
    },
  );
});

describe('webLink', () => {
  test.each([
    ['https://shop.example.com/health', 'https://shop.example.com/health'],
    ['http://10.0.0.5:8080/status', 'http://10.0.0.5:8080/status'],
    ['HTTPS://shop.example.com/', 'HTTPS://shop.example.com/'],
    ['ftp://files.example.com/', null],
    ['shop.example.com', null],
    ['https://', null],
    ['javascript:alert(1)', null],
    ['file:///etc/passwd', null],
    ['https:///path', null],
    ['https://portal.example.com/a b', null],
    [' https://portal.example.com/', null],
  ])('when the text is %j, then the link is %j', (text, link) => {
    expect(webLink(text)).toBe(link);
  });

  test('when there is no text, then there is no link', () => {
    expect(webLink(null)).toBeNull();
  });

  test('when only https is allowed, then an http link is dropped and an https one kept', () => {
    expect(webLink('http://console.example.com/a', { httpsOnly: true })).toBeNull();
    expect(webLink('https://console.example.com/a', { httpsOnly: true })).toBe(
      'https://console.example.com/a',
    );
    expect(webLink('http://console.example.com/a', { httpsOnly: false })).toBe(
      'http://console.example.com/a',
    );
  });
});
