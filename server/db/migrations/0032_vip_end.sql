-- Issue 13 follow-up: a VIP registration can be ended (the client downgraded, left, or asked to
-- end the one-to-one service) — who ended it and why are kept on the row, not only in the audit log.
ALTER TABLE "vip_registrations" ADD COLUMN "ended_by" integer REFERENCES "staff"("id");
--> statement-breakpoint
ALTER TABLE "vip_registrations" ADD COLUMN "end_reason" text;
--> statement-breakpoint
ALTER TABLE "vip_registrations" ADD CONSTRAINT "vip_registrations_ended" CHECK (("status" = 'ended') = ("ended_at" IS NOT NULL AND "ended_by" IS NOT NULL AND "end_reason" IS NOT NULL));
