-- SPEC §9.5: once the committee has approved a branch's month it is locked, and nothing in it
-- changes. The database refuses any ledger entry or statement total written into a locked
-- (node_id, period) with SQLSTATE LK001 (the API answers 409 PERIOD.LOCKED). Corrections of a
-- locked month are adjustment entries in the open month (ledger_entries.adjusts_period), which
-- these checks let through because their own period is open.
--
-- Statement-level triggers with a transition table: one hash join per INSERT/COPY/UPDATE
-- statement, not one lookup per row (decision 0013), and nothing at all while no month is locked.
CREATE OR REPLACE FUNCTION period_lock_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM periods WHERE state = 'locked') THEN
    RETURN NULL;
  END IF;
  SELECT n.node_id, n.period INTO bad
    FROM new_rows n JOIN periods p ON p.node_id = n.node_id AND p.period = n.period
   WHERE p.state = 'locked'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'period % of node % is locked: % refused', bad.period, bad.node_id, TG_TABLE_NAME
      USING ERRCODE = 'LK001', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_period_lock AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_insert AFTER INSERT ON statement_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_update AFTER UPDATE ON statement_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
-- A locked month stays locked: its row can neither go back nor disappear.
CREATE OR REPLACE FUNCTION periods_stay_locked() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'locked' AND (TG_OP = 'DELETE' OR NEW.state <> 'locked' OR NEW.node_id <> OLD.node_id OR NEW.period <> OLD.period) THEN
    RAISE EXCEPTION 'period % of node % is locked', OLD.period, OLD.node_id USING ERRCODE = 'LK001', TABLE = 'periods';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER periods_stay_locked BEFORE UPDATE OR DELETE ON periods FOR EACH ROW EXECUTE FUNCTION periods_stay_locked();
--> statement-breakpoint
-- The permissions of the month's life (shared/access.ts), granted to the default roles of an
-- existing installation. A fresh database has no roles yet: the seed writes them with these.
UPDATE roles SET permissions = permissions || '["period.publish","period.audit","period.approve","objection.raise","objection.answer"]'::jsonb
 WHERE code = 'admin' AND NOT permissions @> '["period.publish"]'::jsonb;
--> statement-breakpoint
UPDATE roles SET permissions = permissions || '["period.approve"]'::jsonb
 WHERE code = 'committee_chair' AND NOT permissions @> '["period.approve"]'::jsonb;
--> statement-breakpoint
UPDATE roles SET permissions = permissions || '["period.publish","objection.answer"]'::jsonb
 WHERE code = 'committee_member' AND NOT permissions @> '["period.publish"]'::jsonb;
--> statement-breakpoint
UPDATE roles SET permissions = permissions || '["period.audit"]'::jsonb
 WHERE code = 'compliance' AND NOT permissions @> '["period.audit"]'::jsonb;
--> statement-breakpoint
UPDATE roles SET permissions = permissions || '["objection.raise"]'::jsonb
 WHERE code IN ('admin', 'committee_chair', 'committee_member', 'corporate_am', 'personal_am', 'outlet_manager', 'hr', 'finance', 'compliance', 'staff')
   AND NOT permissions @> '["objection.raise"]'::jsonb;
