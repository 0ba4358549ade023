-- Quota completion kept as the ledger is written (decision 0018): the dashboards and the
-- assessment read these totals instead of scanning the branch's sales on every request.
CREATE TABLE "completion_totals" (
	"node_id" integer NOT NULL,
	"grain" text NOT NULL,
	"k" integer DEFAULT 0 NOT NULL,
	"period" date NOT NULL,
	"department_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity_1e4" bigint DEFAULT 0 NOT NULL,
	"sales" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "completion_totals_pk" PRIMARY KEY("node_id","grain","k","period","department_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "sale_scoring" ADD COLUMN "counted" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
-- backfill: the sales that count now (not struck, no positive void net). A sale never scored
-- (sales older than sale_scoring) gets the empty rule key, which a recompute sees as stale.
WITH voided AS (
  SELECT e.sale_id FROM "ledger_entries" e WHERE e.kind = 'void' GROUP BY e.sale_id HAVING sum(e.points_hundredths) > 0
)
INSERT INTO "sale_scoring" ("sale_id", "rule_key", "counted")
SELECT s.id, '', true FROM "sales" s
WHERE s.struck_at IS NULL AND NOT EXISTS (SELECT 1 FROM voided v WHERE v.sale_id = s.id)
ON CONFLICT ("sale_id") DO UPDATE SET "counted" = true;
--> statement-breakpoint
-- backfill: their completion, the sets of server/modules/quotas/completion.sql.ts (D department
-- host or participant once, P person, O every node below the branch on a credited person's path).
INSERT INTO "completion_totals" ("node_id", "grain", "k", "period", "department_id", "product_id", "quantity_1e4", "sales")
WITH c_sale AS (
  SELECT s.id AS sale_id, s.node_id, date_trunc('month', s.sale_date)::date AS period, s.product_id, s.quantity_1e4, s.host_department_id
  FROM "sales" s JOIN "sale_scoring" k ON k.sale_id = s.id AND k.counted
),
c_dept AS (
  SELECT sale_id, host_department_id AS department_id FROM c_sale
  UNION
  SELECT d.sale_id, d.department_id FROM c_sale c JOIN "sale_departments" d ON d.sale_id = c.sale_id
),
c_person AS (
  SELECT sp.sale_id, sp.department_id, sp.staff_id FROM c_sale c JOIN "sale_people" sp ON sp.sale_id = c.sale_id
),
c_node AS (
  SELECT DISTINCT p.sale_id, p.department_id, a.id AS org_id
  FROM c_person p JOIN c_sale c ON c.sale_id = p.sale_id
  JOIN "staff" st ON st.id = p.staff_id JOIN "org_nodes" n ON n.id = st.node_id
  CROSS JOIN LATERAL (SELECT string_to_array(btrim(n.path, '/'), '/')::int[] AS ids) x
  -- The nodes below the sale's branch on the person's path (none for a person sitting at the
  -- branch itself or outside it): an outlet quota names a sub-branch or outlet of the branch.
  CROSS JOIN LATERAL unnest(x.ids[array_position(x.ids, c.node_id) + 1:]) a(id)
),
c_keyed AS (
  SELECT c.node_id, 'D' AS grain, 0 AS k, c.period, d.department_id, c.product_id, c.quantity_1e4 AS q
  FROM c_dept d JOIN c_sale c ON c.sale_id = d.sale_id
  UNION ALL
  SELECT c.node_id, 'P', p.staff_id, c.period, p.department_id, c.product_id, c.quantity_1e4
  FROM c_person p JOIN c_sale c ON c.sale_id = p.sale_id
  UNION ALL
  SELECT c.node_id, 'O', o.org_id, c.period, o.department_id, c.product_id, c.quantity_1e4
  FROM c_node o JOIN c_sale c ON c.sale_id = o.sale_id
)
SELECT node_id, grain, k, period, department_id, product_id, sum(q), count(*) FROM c_keyed
GROUP BY node_id, grain, k, period, department_id, product_id;
--> statement-breakpoint
-- Points per department × person × product by the month written (decision 0018): the line
-- filters of the rankings and the drill-down read these instead of summing the ledger.
CREATE TABLE "product_points_totals" (
	"node_id" integer NOT NULL,
	"period" date NOT NULL,
	"department_id" integer NOT NULL,
	"staff_id" integer DEFAULT 0 NOT NULL,
	"product_id" integer NOT NULL,
	"points_hundredths" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "product_points_totals_pk" PRIMARY KEY("node_id","period","department_id","staff_id","product_id")
);
--> statement-breakpoint
-- backfill: the ledger so far (locked months included: the lock triggers come after).
INSERT INTO "product_points_totals" ("node_id", "period", "department_id", "staff_id", "product_id", "points_hundredths")
SELECT e.node_id, e.period, e.department_id, coalesce(e.staff_id, 0), s.product_id, sum(e.points_hundredths)
FROM "ledger_entries" e JOIN "sales" s ON s.id = e.sale_id
WHERE e.kind <> 'void'
GROUP BY 1, 2, 3, 4, 5 HAVING sum(e.points_hundredths) <> 0;
--> statement-breakpoint
CREATE TRIGGER product_points_totals_period_lock_insert AFTER INSERT ON product_points_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER product_points_totals_period_lock_update AFTER UPDATE ON product_points_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
