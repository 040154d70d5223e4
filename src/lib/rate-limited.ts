import { AppError } from "../errors";

/** The limiter bindings' period (wrangler.toml), so the wait a 429 announces. */
const WINDOW_SECONDS = "60";

export const rateLimited = () =>
  new AppError("rate_limited", "Too many requests. Please retry later.", { headers: { "Retry-After": WINDOW_SECONDS } });
