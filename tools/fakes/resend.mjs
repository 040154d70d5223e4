// Resend's POST /emails at the HTTP level: records what was sent, honours Idempotency-Key like Resend
// does (same key → same email id, delivered once), and can be told to fail or hang.
import { json, sleep } from "./respond.mjs";

/**
 * @typedef {{ id: string; from: string; to: string[]; subject: string; text: string; idempotencyKey: string | null;
 *   authorization: string | null; at: number }} SentEmail
 * `at`: performance.now() when it arrived (the bench times license emails with it).
 * @typedef {{
 *   delivered: SentEmail[];
 *   attempts: number;
 *   posts: number;
 *   failNext: { count: number; status: number | "hang"; to?: string };
 *   listeners: Set<(mail: SentEmail) => void>;
 * }} ResendFake
 * `failNext`: the next N requests (to `to` only, when set: emails of other tests' purchases may still be
 * in flight) answer with this status (500: Resend down) or hang past the client's patience. `attempts`
 * counts the targeted requests, `posts` every one.
 */

/** @returns {ResendFake} */
export const createResendFake = () => ({
  delivered: [],
  attempts: 0,
  posts: 0,
  failNext: { count: 0, status: 500 },
  listeners: new Set(),
});

/** @param {ResendFake} fake @param {string} email */
export const deliveredTo = (fake, email) => fake.delivered.filter((m) => m.to.includes(email));

/** Resolves with the first email to `to` (already delivered or still to come). @param {ResendFake} fake @param {string} to @param {number} timeoutMs */
export function emailTo(fake, to, timeoutMs) {
  const [sent] = deliveredTo(fake, to);
  if (sent) return Promise.resolve(sent);
  return new Promise((resolve, reject) => {
    const listener = (/** @type {SentEmail} */ mail) => {
      if (!mail.to.includes(to)) return;
      clearTimeout(timer);
      fake.listeners.delete(listener);
      resolve(mail);
    };
    const timer = setTimeout(() => {
      fake.listeners.delete(listener);
      reject(new Error(`no email to ${to} within ${timeoutMs} ms`));
    }, timeoutMs);
    fake.listeners.add(listener);
  });
}

/** @param {ResendFake} fake @returns {import("./respond.mjs").FakeHandler} */
export function resendApi(fake) {
  const byKey = new Map();
  return async (request) => {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/emails") return undefined;
    fake.posts++;
    const body = /** @type {{ from: string; to: string[] | string; subject: string; text: string }} */ (
      await request.clone().json()
    );
    const recipients = Array.isArray(body.to) ? body.to : [body.to];
    const targeted = !fake.failNext.to || recipients.includes(fake.failNext.to);
    if (targeted) fake.attempts++;
    if (fake.failNext.count > 0 && targeted) {
      fake.failNext.count--;
      if (fake.failNext.status === "hang") await sleep(30_000);
      return json(
        { statusCode: 500, name: "internal_server_error", message: "Resend is down" },
        Number(fake.failNext.status) || 500,
      );
    }
    const key = request.headers.get("idempotency-key");
    const existing = key ? byKey.get(key) : undefined;
    if (existing) return json({ id: existing });
    const id = crypto.randomUUID();
    if (key) byKey.set(key, id);
    const mail = {
      id,
      from: body.from,
      to: recipients,
      subject: body.subject,
      text: String(body.text ?? ""),
      idempotencyKey: key,
      authorization: request.headers.get("authorization"),
      at: performance.now(),
    };
    fake.delivered.push(mail);
    for (const listener of fake.listeners) listener(mail);
    return json({ id });
  };
}
