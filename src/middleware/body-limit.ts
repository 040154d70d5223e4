import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { AppError } from "../errors";

export const KiB = 1024;
const DECLARED = Symbol("declared body limit");

/** Hono's limit (>= 4.12.16 also counts chunked bodies without Content-Length), answered as problem+json. */
export const limitBody = (maxSize: number) =>
  Object.assign(
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError("payload_too_large", `The request body is larger than ${maxSize} bytes.`);
      },
    }),
    { [DECLARED]: maxSize },
  );

/** For every request whose route declares no limit of its own (in its createRoute middleware). */
export const limitBodyByDefault = (maxSize: number) => {
  const fallback = limitBody(maxSize);
  return createMiddleware(async (c, next) =>
    matchedRoutes(c).some((route) => DECLARED in route.handler) ? next() : fallback(c, next),
  );
};

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * Bodies are JSON whatever their label (API.md; as since the first release): a body sent without
 * `Content-Type: application/json` is relabelled, so the route's validator reads it (Hono's own
 * bodyLimit replaces `c.req.raw` the same way).
 */
export const assumeJsonBody = createMiddleware(async (c, next) => {
  const type = c.req.header("Content-Type");
  if (c.req.raw.body && !(type && JSON_MEDIA_TYPE.test(type))) {
    const headers = new Headers(c.req.raw.headers);
    headers.set("Content-Type", "application/json");
    c.req.raw = new Request(c.req.raw, { headers, duplex: "half" } as RequestInit);
  }
  await next();
});
