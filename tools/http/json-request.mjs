// The one way scripts, the bench and the tests read an answer of the service: status, headers, the
// raw text, and its JSON when it is JSON (undefined otherwise: an error page, an empty body).

/**
 * @template [T=unknown]
 * @typedef {{ status: number; headers: Headers; text: string; json: T | undefined }} JsonResult
 */

/** @param {Response} res @returns {Promise<JsonResult>} */
export async function readJsonResult(res) {
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * A request to `origin + path`: a `body` that is not a string is sent as JSON.
 * @param {string} origin @param {string} method @param {string} path
 * @param {{ body?: unknown; headers?: Record<string, string>; signal?: AbortSignal }} [options]
 * @returns {Promise<JsonResult<any>>}
 */
export async function requestJson(origin, method, path, { body, headers = {}, signal } = {}) {
  const res = await fetch(origin + path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
  return readJsonResult(res);
}
