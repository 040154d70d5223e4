import type { Resend } from "resend";
import type { Config } from "../../config";
import { BoundedMap } from "../../lib/bounded-map";
import type { Logger } from "../../lib/logger";

interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Resend keeps it 24 h: a retried send with the same key is delivered once. */
  idempotencyKey: string;
}

type SendResult = { ok: true; providerMessageId: string } | { ok: false; retryable: boolean; reason: string };

export interface EmailSender {
  send(email: OutgoingEmail): Promise<SendResult>;
}

/** Resend when a key is configured; otherwise (local dev) the email is written to the log. */
export function createEmailSender(config: Config, log: Logger): EmailSender {
  if (!config.resendApiKey) return createLogEmailSender(log);
  const apiKey = config.resendApiKey;
  return {
    async send(email) {
      try {
        const resend = await resendClient(apiKey, config.resendBaseUrl);
        const { data, error } = await withTimeout(
          resend.emails.send(
            { from: config.emailFrom, to: [email.to], subject: email.subject, text: email.text },
            { idempotencyKey: email.idempotencyKey },
          ),
          config.emailTimeoutMs,
        );
        if (data?.id) return { ok: true, providerMessageId: data.id };
        const status = (error as { statusCode?: number | null } | null)?.statusCode ?? null;
        // 4xx other than rate limiting and idempotency races will not get better by retrying.
        const retryable = status === null || status >= 500 || status === 429 || status === 409;
        return { ok: false, retryable, reason: `resend ${status ?? "error"}: ${error?.name ?? "unknown"}` };
      } catch (err) {
        return {
          ok: false,
          retryable: true,
          reason: `resend unreachable: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    },
  };
}

// One entry per API key and base URL an isolate has been configured with.
const resendClients = new BoundedMap<string, Promise<Resend>>(8);

/**
 * One client per isolate: it holds only the key and base URL, and sends each email with its own fetch.
 * The SDK is imported with the first email, so no request that sends none pays its module scope.
 */
function resendClient(apiKey: string, baseUrl: string | undefined): Promise<Resend> {
  return resendClients.getOrSet(`${apiKey}|${baseUrl ?? ""}`, () =>
    import("resend").then(({ Resend }) => new Resend(apiKey, baseUrl ? { baseUrl } : undefined)),
  );
}

function createLogEmailSender(log: Logger): EmailSender {
  return {
    async send(email) {
      // Local development only (no RESEND_API_KEY): the key is in the text on purpose, so a developer can use it.
      log.info("email (not sent: RESEND_API_KEY is unset)", {
        to: email.to,
        subject: email.subject,
        idempotencyKey: email.idempotencyKey,
        text: email.text,
      });
      return { ok: true, providerMessageId: `logged-${email.idempotencyKey}` };
    },
  };
}

/** A hanging provider must not hold the consumer: give up, and let the queue retry with the same key. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
