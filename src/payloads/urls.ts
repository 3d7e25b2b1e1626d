/** Links and hosts from a payload: a link is kept only when it is a web address a person can open safely. */

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** A scheme, `//` and a host written out: the URL parser would also take `https:///x` (reading `x` as host). */
const WRITTEN_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]\S*$/i;

/**
 * The text when it is an http(s) URL (https only, when asked), else null: a `javascript:` or `file:` link from
 * a payload never reaches a page. Hindsight never fetches these; it only shows them.
 */
export function webLink(text: string | null, options: { httpsOnly?: boolean } = {}): string | null {
  // Whitespace would be percent-encoded by the parser: a link is shown as sent, so it must have none.
  if (text === null || !WRITTEN_HOST.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  // The URL parser refuses an http(s) URL without a host, so a link kept here always names one.
  const allowed = options.httpsOnly === true ? ['https:'] : ['http:', 'https:'];
  return allowed.includes(url.protocol) ? text : null;
}

/** A target's host: a URL's hostname, or the bare host or IP of a ping or port check; null when none. */
export function hostnameOf(target: string): string | null {
  try {
    const hostname = new URL(SCHEME.test(target) ? target : `http://${target}`).hostname;
    return hostname === '' ? null : hostname;
  } catch {
    return null;
  }
}
