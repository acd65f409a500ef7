/**
 * The request target (`req.url`) of an HTTP request or WebSocket upgrade, parsed without ever
 * throwing. `new URL(req.url, base)` throws on `//` or `//[::1` (a "scheme-relative" URL with a
 * bad host), and any web page can make the browser send those; an exception in a request handler
 * would end the process. Only origin-form targets (`/path?query`) are accepted: absolute-form
 * (`http://x/`, a proxy request), `*` and anything unparsable give null, which callers answer with
 * 400.
 */
export interface RequestTarget {
  /** Still percent-encoded; `..` segments already resolved. */
  path: string;
  query: URLSearchParams;
}

// Prefixed to the target, never used as a base: the target then cannot name another host.
const ORIGIN = 'http://request-target.invalid';

export function parseRequestTarget(raw: string | undefined): RequestTarget | null {
  if (raw === undefined || raw.length === 0 || raw[0] !== '/') return null;
  try {
    const url = new URL(ORIGIN + raw);
    if (url.origin !== ORIGIN) return null;
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return null;
  }
}
