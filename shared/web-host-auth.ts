/**
 * What the browser page and the web host agree on for the WebSocket's credential (the reasons
 * are in electron/web-host/auth.ts). Plain TypeScript: used by the host and by the renderer.
 */

/** The subprotocol the host selects; a client must offer it next to its token. */
export const WS_PROTOCOL = 'tickscope.v1';

/** The token travels as the subprotocol `tickscope.token.<token>` (never as a cookie). */
export const WS_TOKEN_PROTOCOL_PREFIX = 'tickscope.token.';

/** The key of the token in the page URL's fragment (`/#token=...`) the host redirects to. */
export const TOKEN_FRAGMENT_KEY = 'token';

/**
 * base64url, as newToken() makes it: every character is valid in a Sec-WebSocket-Protocol value
 * and in a URL fragment, so the token never needs escaping on its way.
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** The subprotocols a client offers: the protocol version and its token. */
export function tokenProtocols(token: string): string[] {
  return [WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX + token];
}
