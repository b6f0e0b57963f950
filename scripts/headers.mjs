/**
 * The HTTP headers every Clientele response needs. A host serving dist/ must send the same:
 * - Content-Security-Policy: nothing but the app's own origin; wasm compilation allowed. Workers
 *   loaded from their own URL do not inherit a page's <meta> CSP, so it is sent as a header on
 *   every response (worker scripts included).
 * - Cross-Origin-Opener-Policy / -Embedder-Policy: make the page cross-origin isolated so
 *   DuckDB-WASM can use its threaded (coi) build with SharedArrayBuffer.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
