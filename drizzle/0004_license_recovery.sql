ALTER TABLE "email_outbox" ADD COLUMN "kind" text DEFAULT 'license_issued' NOT NULL;--> statement-breakpoint
CREATE INDEX "licenses_email_lower_idx" ON "licenses" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "email_outbox_recovery_address_idx" ON "email_outbox" USING btree (lower("to_email"),"created_at") WHERE "email_outbox"."kind" = 'license_recovery';