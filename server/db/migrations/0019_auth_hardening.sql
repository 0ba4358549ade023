-- Issue 10 (auth): the lockout reserves each attempt atomically inside a window, and names that
-- are not accounts are throttled the same way, so answers do not tell whether a 工号 exists.
ALTER TABLE "staff" ADD COLUMN "login_window_start" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "login_throttle" (
	"login" text PRIMARY KEY NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"login_window_start" timestamp with time zone,
	"locked_until" timestamp with time zone
);--> statement-breakpoint
-- The PII reveal limit counts a person's pii.reveal entries of the last hour.
CREATE INDEX "audit_actor_action_at_idx" ON "audit_log" USING btree ("actor_id","action","at");
