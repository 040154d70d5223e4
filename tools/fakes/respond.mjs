// What the fakes share: a JSON answer, a tiny router over Web `Request`s, and the two ways a fake
// fails like a real server does (no answer at all, or one that never comes). Nothing here imports
// node: or msw, so the same handler runs under msw in workerd and behind tools/fakes/serve.mjs in Node.

/** @typedef {(request: Request) => Promise<Response | undefined>} FakeHandler */

/** @param {unknown} body @param {number} [status] */
export const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A dropped connection (msw passes `Response.error()` on as a network error; serve.mjs destroys the socket). */
export const networkError = () => Response.error();

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A server that accepted the request and never answers: the caller's own timeout must give up. A
 * pending timer rather than a bare promise, or workerd would cancel the request as hung.
 */
export const never = () => sleep(2_147_483_647);

/**
 * `[method, /^…$/, (request, match) => Response]` rows, first match wins; `undefined` for a path no
 * row knows, so msw hands the request on to the next handler (serve.mjs answers 404).
 * @param {[string, RegExp, (request: Request, match: [string, string], url: URL) => Response | Promise<Response>][]} routes
 * @returns {FakeHandler}
 */
export function router(routes) {
  return async (request) => {
    const url = new URL(request.url);
    for (const [method, pattern, answer] of routes) {
      if (method !== "*" && method !== request.method) continue;
      const match = url.pathname.match(pattern);
      if (match) return answer(request, /** @type {[string, string]} */ ([match[0], match[1] ?? ""]), url);
    }
    return undefined;
  };
}
