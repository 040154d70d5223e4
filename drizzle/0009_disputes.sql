CREATE TABLE "disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"payment_intent_id" text NOT NULL,
	"stripe_subscription_id" text,
	"license_id" text,
	"status" text NOT NULL,
	"state_at_sec" bigint NOT NULL,
	"revoked_license_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disputes_license_id_index" ON "disputes" USING btree ("license_id");--> statement-breakpoint
CREATE INDEX "disputes_payment_intent_id_index" ON "disputes" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "disputes_stripe_subscription_id_index" ON "disputes" USING btree ("stripe_subscription_id");