-- Issue 14 (registry half): a grant returned to its pool when its signing is voided (or corrected out
-- of the pool's terms) is kept, marked returned, so the pool's order of grants stays readable.
ALTER TABLE "fi_grants" ADD COLUMN "returned_at" timestamp with time zone;
--> statement-breakpoint
ALTER TABLE "fi_grants" ADD COLUMN "returned_by" integer REFERENCES "staff"("id");
--> statement-breakpoint
ALTER TABLE "fi_grants" ADD COLUMN "return_reason" text;
--> statement-breakpoint
ALTER TABLE "fi_grants" ADD CONSTRAINT "fi_grants_return_reason" CHECK ("returned_at" IS NULL OR "return_reason" IS NOT NULL);
