// One msw server for the whole isolate: the worker and the tests share it, so the worker's outbound
// calls to Stripe, Resend and Logto hit the fakes in test/support/fakes. Anything else (the local
// Neon endpoint on 127.0.0.1) passes through untouched.
import { setupServer } from "msw/node";

export const server = setupServer();
