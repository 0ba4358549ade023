-- Issue 18, part 4: negotiated ratios as a bank writes them. A ratio among participating
-- departments (or among a department's people) is either a percentage — kept in ratio_bp /
-- contribution_bp as basis points, validated to total 100 % — or a weight (1:2, 3:1:1) — kept
-- exactly as the integer written, in the new weight column. Never both on one row; within one
-- sale all departments use one kind and all people of one department use one kind (checked on
-- input). Scoring uses coalesce(weight, ratio_bp) as the integer proportion: a percentage is the
-- weight of its basis points (40/60 = 4000:6000), so one largest-remainder split serves both.
-- Decision 0026.
ALTER TABLE "sale_departments" ADD COLUMN "weight" integer;--> statement-breakpoint
ALTER TABLE "sale_departments" ADD CONSTRAINT "sale_departments_weight_ck" CHECK ("weight" IS NULL OR ("weight" BETWEEN 1 AND 10000 AND "ratio_bp" IS NULL));--> statement-breakpoint
ALTER TABLE "sale_people" ADD COLUMN "weight" integer;--> statement-breakpoint
ALTER TABLE "sale_people" ADD CONSTRAINT "sale_people_weight_ck" CHECK ("weight" IS NULL OR ("weight" BETWEEN 1 AND 10000 AND "contribution_bp" IS NULL));
