ALTER TABLE "ledger_entries" ADD COLUMN "role" text;--> statement-breakpoint
ALTER TABLE "statement_totals" ADD COLUMN "role" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "statement_totals" DROP CONSTRAINT "statement_totals_node_id_period_grain_k1_k2_pk";--> statement-breakpoint
ALTER TABLE "statement_totals" ADD CONSTRAINT "statement_totals_pk" PRIMARY KEY("node_id","period","grain","k1","k2","role");--> statement-breakpoint
-- Person lines written before this migration learn their role from sale_people. This adds a
-- derived label and changes no points, so the append-only trigger is lifted for this one
-- statement only (decision 0013).
ALTER TABLE "ledger_entries" DISABLE TRIGGER "ledger_entries_no_update";--> statement-breakpoint
UPDATE "ledger_entries" e SET "role" = sp."role" FROM "sale_people" sp
 WHERE e."staff_id" IS NOT NULL AND sp."sale_id" = e."sale_id" AND sp."staff_id" = e."staff_id" AND sp."department_id" = e."department_id";--> statement-breakpoint
ALTER TABLE "ledger_entries" ENABLE TRIGGER "ledger_entries_no_update";--> statement-breakpoint
-- Grain O (the roles people played) for the ledger so far; locked months included, so the lock
-- check on statement_totals is lifted for this insert.
ALTER TABLE "statement_totals" DISABLE TRIGGER "statement_totals_period_lock_insert";--> statement-breakpoint
INSERT INTO "statement_totals" ("node_id", "period", "grain", "k1", "k2", "role", "sales")
SELECT node_id, period, 'O', staff_id, department_id, role, count(DISTINCT sale_id) FILTER (WHERE NOT adj)
FROM (
  SELECT e.sale_id, e.node_id, e.period, e.staff_id, e.department_id, e.role, bool_and(e.adjusts_period IS NOT NULL) AS adj
  FROM "ledger_entries" e WHERE e.staff_id IS NOT NULL AND e.role IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, e.kind = 'void' HAVING sum(e.points_hundredths) <> 0
) live
GROUP BY 1, 2, 4, 5, 6
HAVING count(DISTINCT sale_id) FILTER (WHERE NOT adj) > 0;--> statement-breakpoint
ALTER TABLE "statement_totals" ENABLE TRIGGER "statement_totals_period_lock_insert";
