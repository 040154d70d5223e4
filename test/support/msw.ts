// One msw server for the whole isolate: the worker and the tests share it, so the worker's outbound
// calls to Stripe, Resend and Logto hit the fakes of tools/fakes. Anything else (the local Neon
// endpoint on 127.0.0.1) passes through untouched.
import { http } from "msw";
import { setupServer } from "msw/node";
import type { FakeHandler } from "../../tools/fakes/respond.mjs";

export const server = setupServer();

/** A fake of tools/fakes answering at `origin`; a path it does not know goes on to the next handler. */
export const mount = (origin: string, handler: FakeHandler) =>
  http.all(`${origin}/*`, ({ request }) => handler(request as unknown as Request));
