// Resend's POST /emails at the HTTP level: records what was sent, honours Idempotency-Key like
// Resend does (same key → same email id, delivered once), and can be told to fail or hang.
import { delay, http, HttpResponse } from "msw";
import { TEST_RESEND_BASE_URL } from "../../bindings";

interface SentEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  idempotencyKey: string | null;
  authorization: string | null;
}

export interface ResendFake {
  delivered: SentEmail[];
  attempts: number;
  /**
   * The next N requests (to `to` only, when set: emails of other tests' purchases may still be in
   * flight) answer with this status (500: Resend down) or hang past the client's patience.
   */
  failNext: { count: number; status: number | "hang"; to?: string };
}

export const createResendFake = (): ResendFake => ({ delivered: [], attempts: 0, failNext: { count: 0, status: 500 } });

export const deliveredTo = (fake: ResendFake, email: string) => fake.delivered.filter((m) => m.to.includes(email));

export function resendHandlers(fake: ResendFake) {
  const byKey = new Map<string, string>();
  return [
    http.post(`${TEST_RESEND_BASE_URL}/emails`, async ({ request }) => {
      const body = (await request.clone().json()) as {
        from: string;
        to: string[] | string;
        subject: string;
        text: string;
      };
      const recipients = Array.isArray(body.to) ? body.to : [body.to];
      const targeted = !fake.failNext.to || recipients.includes(fake.failNext.to);
      if (targeted) fake.attempts++;
      if (fake.failNext.count > 0 && targeted) {
        fake.failNext.count--;
        if (fake.failNext.status === "hang") {
          await delay(30_000);
        }
        return HttpResponse.json(
          { statusCode: 500, name: "internal_server_error", message: "Resend is down" },
          { status: Number(fake.failNext.status) || 500 },
        );
      }
      const key = request.headers.get("idempotency-key");
      const existing = key ? byKey.get(key) : undefined;
      if (existing) return HttpResponse.json({ id: existing });
      const id = crypto.randomUUID();
      if (key) byKey.set(key, id);
      fake.delivered.push({
        id,
        from: body.from,
        to: recipients,
        subject: body.subject,
        text: body.text,
        idempotencyKey: key,
        authorization: request.headers.get("authorization"),
      });
      return HttpResponse.json({ id });
    }),
  ];
}
