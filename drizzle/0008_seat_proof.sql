CREATE TABLE "seat_proof_jtis" (
	"jkt" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seat_proof_jtis_jkt_jti_pk" PRIMARY KEY("jkt","jti")
);
--> statement-breakpoint
ALTER TABLE "activations" DROP CONSTRAINT "activations_licenseId_machineId_unique";--> statement-breakpoint
ALTER TABLE "activations" ADD COLUMN "jkt" text;--> statement-breakpoint
ALTER TABLE "activations" ADD COLUMN "public_key" jsonb;--> statement-breakpoint
CREATE INDEX "seat_proof_jtis_expires_at_idx" ON "seat_proof_jtis" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "activations" ADD CONSTRAINT "activations_license_machine_key_unique" UNIQUE NULLS NOT DISTINCT("license_id","machine_id","jkt");