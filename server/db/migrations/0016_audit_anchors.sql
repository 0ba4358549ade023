-- Decision 0016: what the append-only triggers never covered (TRUNCATE), a position for every
-- audit entry (seq), and anchors that remember the audit head the bank's milestones saw.
--
-- 1. seq: the entry's position in the chain, 1, 2, 3 … with no gaps (ids are an identity and
--    skip numbers when a transaction rolls back). Existing entries are numbered in id order,
--    which is their chain order (appends are serialised). seq is not part of the hash: the
--    chain's order is already bound by prev_hash, and every existing hash stays verifiable.
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
UPDATE "audit_log" a SET "seq" = n.rn FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM "audit_log") n WHERE n.id = a.id;--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_no_update";--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_uq" ON "audit_log" USING btree ("seq");--> statement-breakpoint
-- 2. Anchors: the head (seq + hash) seen when a month was locked, an assessment approved, an
--    import finished. A chain that ends before an anchor, or differs from it, lost entries.
CREATE TABLE "audit_anchors" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_anchors_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"node_id" integer,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "audit_anchors_seq_idx" ON "audit_anchors" USING btree ("seq");--> statement-breakpoint
CREATE OR REPLACE FUNCTION append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE OR DELETE ON audit_anchors
  FOR EACH ROW EXECUTE FUNCTION append_only();--> statement-breakpoint
-- The copies kept where the milestone itself lives (a second place to wipe).
ALTER TABLE "periods" ADD COLUMN "audit_seq" bigint;--> statement-breakpoint
ALTER TABLE "periods" ADD COLUMN "audit_hash" text;--> statement-breakpoint
ALTER TABLE "assessment_runs" ADD COLUMN "audit_seq" bigint;--> statement-breakpoint
ALTER TABLE "assessment_runs" ADD COLUMN "audit_hash" text;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "audit_seq" bigint;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "audit_hash" text;--> statement-breakpoint
-- 3. TRUNCATE fires no row trigger: every table whose rows the database refuses to delete now
--    refuses TRUNCATE too (statement triggers fire for tables a CASCADE reaches as well).
--    Append-only tables: always.
CREATE OR REPLACE FUNCTION refuse_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege', TABLE = TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER quota_plan_versions_no_truncate BEFORE TRUNCATE ON quota_plan_versions FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
CREATE TRIGGER assessment_run_lines_no_truncate BEFORE TRUNCATE ON assessment_run_lines FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();--> statement-breakpoint
-- Locked rows (a locked month, a paid-out run) and a locked month's statement totals: refused
-- while any is locked, with the lock's own SQLSTATE (TG_ARGV[0]: LK001 months, LK003 runs).
CREATE OR REPLACE FUNCTION refuse_truncate_when_locked() RETURNS trigger AS $$
BEGIN
  IF (TG_TABLE_NAME = 'assessment_runs' AND EXISTS (SELECT 1 FROM assessment_runs WHERE state = 'locked'))
     OR (TG_TABLE_NAME <> 'assessment_runs' AND EXISTS (SELECT 1 FROM periods WHERE state = 'locked')) THEN
    RAISE EXCEPTION '% holds locked rows (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = TG_ARGV[0], TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER periods_no_truncate BEFORE TRUNCATE ON periods FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_when_locked('LK001');--> statement-breakpoint
CREATE TRIGGER statement_totals_no_truncate BEFORE TRUNCATE ON statement_totals FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_when_locked('LK001');--> statement-breakpoint
CREATE TRIGGER assessment_runs_no_truncate BEFORE TRUNCATE ON assessment_runs FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_when_locked('LK003');--> statement-breakpoint
-- A locked month's totals could be inserted into and updated by nobody (0012), but deleted.
CREATE OR REPLACE FUNCTION period_lock_delete_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM periods WHERE state = 'locked') THEN
    RETURN NULL;
  END IF;
  SELECT o.node_id, o.period INTO bad
    FROM old_rows o JOIN periods p ON p.node_id = o.node_id AND p.period = o.period
   WHERE p.state = 'locked'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'period % of node % is locked: % refused', bad.period, bad.node_id, TG_TABLE_NAME
      USING ERRCODE = 'LK001', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_delete AFTER DELETE ON statement_totals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_delete_check();--> statement-breakpoint
-- The parents the sales tables refer to by statement-level checks (0009) refuse DELETE of a
-- referenced row; TRUNCATE (or a CASCADE reaching them) must not leave the sales dangling.
CREATE OR REPLACE FUNCTION sales_parent_truncate_check() RETURNS trigger AS $$
DECLARE referenced boolean;
BEGIN
  referenced := CASE TG_TABLE_NAME
    WHEN 'products' THEN EXISTS (SELECT 1 FROM sales)
    WHEN 'individuals' THEN EXISTS (SELECT 1 FROM sales WHERE person_id IS NOT NULL)
    WHEN 'corporate_clients' THEN EXISTS (SELECT 1 FROM sales WHERE company_id IS NOT NULL)
    WHEN 'developments' THEN EXISTS (SELECT 1 FROM sales WHERE development_id IS NOT NULL)
    WHEN 'org_nodes' THEN EXISTS (SELECT 1 FROM sales)
    WHEN 'staff' THEN EXISTS (SELECT 1 FROM sale_people)
    WHEN 'departments' THEN EXISTS (SELECT 1 FROM sales)
    WHEN 'sales' THEN EXISTS (SELECT 1 FROM ledger_entries) OR EXISTS (SELECT 1 FROM sale_departments) OR EXISTS (SELECT 1 FROM sale_people)
    ELSE false END;
  IF referenced THEN
    RAISE EXCEPTION '% is still referenced by the sales (TRUNCATE refused)', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER products_sales_truncate BEFORE TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER individuals_sales_truncate BEFORE TRUNCATE ON individuals FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER corporate_clients_sales_truncate BEFORE TRUNCATE ON corporate_clients FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER developments_sales_truncate BEFORE TRUNCATE ON developments FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER org_nodes_sales_truncate BEFORE TRUNCATE ON org_nodes FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER staff_sales_truncate BEFORE TRUNCATE ON staff FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER departments_sales_truncate BEFORE TRUNCATE ON departments FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();--> statement-breakpoint
CREATE TRIGGER sales_children_truncate BEFORE TRUNCATE ON sales FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();
