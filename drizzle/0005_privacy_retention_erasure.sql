ALTER TABLE "licenses" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "stripe_events" ALTER COLUMN "payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_outbox" ALTER COLUMN "to_email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "object_ids" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "stripe_events_object_ids_idx" ON "stripe_events" USING gin ("object_ids");