// Issue 22 item 8: recovery emails have a global budget per hour besides the per-address and per-IP
// limits: a flood spread over many addresses (each under its own limit) cannot spend Resend's quota or
// the sender domain's reputation.
import { and, eq, gt, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { emailOutbox } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { sendLicenseRecovery } from "../../src/services/recovery/send-license-recovery";
import { testDb } from "../support/db";
import { useResend } from "../support/fakes/resend";
import { issueTestLicense, randomEmail, serviceCtx } from "../support/factories";

beforeEach(() => {
  useResend();
});

// A window of its own, far from any other test's rows: the budget counts every address's emails.
const AT = new Date(Date.UTC(2100, 0, 1) + Math.floor(Math.random() * 1e9) * 1000);
const BUDGET = 3;

const recoverAt = (address: string, at: Date) => {
  const ctx = serviceCtx();
  return sendLicenseRecovery(
    { ...ctx, clock: { now: () => at }, config: { ...ctx.config, recoveryEmailsPerHour: BUDGET } },
    { requestId: newId("rcv"), address },
  );
};

describe("the recovery emails' global hourly budget", () => {
  it("8: beyond RECOVERY_EMAILS_PER_HOUR in the last hour, requests for other addresses send nothing; an hour later they send again", async () => {
    const buyers = [];
    for (let i = 0; i < BUDGET + 2; i++) {
      const email = randomEmail();
      await issueTestLicense({ email, expiresAt: new Date(Date.UTC(2200, 0, 1)) });
      buyers.push(email);
    }
    const outcomes = [];
    for (const email of buyers) outcomes.push(await recoverAt(email, AT));
    expect(outcomes).toEqual([...Array(BUDGET).fill("queued"), "limited", "limited"]);
    const rows = await testDb()
      .select()
      .from(emailOutbox)
      .where(
        and(
          eq(emailOutbox.kind, "license_recovery"),
          gt(emailOutbox.createdAt, sql`${new Date(AT.getTime() - 3600_000).toISOString()}::timestamptz`),
          sql`${emailOutbox.createdAt} <= ${AT.toISOString()}::timestamptz`,
        ),
      );
    expect(rows.map((r) => r.toEmail).sort()).toEqual(buyers.slice(0, BUDGET).sort());

    expect(await recoverAt(buyers[BUDGET]!, new Date(AT.getTime() + 3601_000))).toBe("queued");
  });
});
