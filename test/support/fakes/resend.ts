// The fake Resend (tools/fakes/resend.mjs, shared with the bench) mounted in msw at RESEND_BASE_URL.
import { createResendFake, resendApi, type ResendFake } from "../../../tools/fakes/resend.mjs";
import { TEST_RESEND_BASE_URL } from "../../bindings";
import { mount, server } from "../msw";

export type { ResendFake } from "../../../tools/fakes/resend.mjs";
export { deliveredTo } from "../../../tools/fakes/resend.mjs";

/** A new outbox served for the current test. */
export function useResend(): ResendFake {
  const fake = createResendFake();
  server.use(mount(TEST_RESEND_BASE_URL, resendApi(fake)));
  return fake;
}
