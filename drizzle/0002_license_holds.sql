CREATE TABLE "deactivations" (
	"id" text PRIMARY KEY NOT NULL,
	"license_id" text NOT NULL,
	"machine_id" text NOT NULL,
	"deactivated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" DROP CONSTRAINT "customers_logtoUserId_unique";--> statement-breakpoint
ALTER TABLE "licenses" ADD COLUMN "deactivations_reset_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "dispute_status" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "dispute_closed_sec" bigint;--> statement-breakpoint
ALTER TABLE "deactivations" ADD CONSTRAINT "deactivations_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "public"."licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deactivations_license_id_deactivated_at_index" ON "deactivations" USING btree ("license_id","deactivated_at");--> statement-breakpoint
CREATE INDEX "customers_logto_user_id_index" ON "customers" USING btree ("logto_user_id");