-- The province (the tier-1 branch, 省分行) as the distribution key of the province-scoped facts
-- (issue 17 goal 6, decision 0043; the manifest is server/db/distribution.ts).
--
-- What "province" is here: the org node of level 'province' on a node's path; a node with no
-- province above it (the head office, 总行, and anything hung directly under it) is keyed by the
-- head itself. A bank whose tree starts at its province has one key. org_nodes.province_id holds
-- it for every node, so filling a fact row's key is one primary-key probe.
ALTER TABLE "org_nodes" ADD COLUMN "province_id" integer;
--> statement-breakpoint
UPDATE "org_nodes" n SET "province_id" = coalesce(
  CASE WHEN n.level IN ('head', 'province') OR n.parent_id IS NULL THEN n.id END,
  (SELECT p.id FROM "org_nodes" p WHERE p.level = 'province' AND n.path LIKE p.path || '%' ORDER BY length(p.path) LIMIT 1),
  (SELECT r.id FROM "org_nodes" r WHERE r.parent_id IS NULL AND n.path LIKE r.path || '%' ORDER BY r.id LIMIT 1),
  n.id);
--> statement-breakpoint
ALTER TABLE "org_nodes" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
-- A node takes its parent's key (its own when it is a province or the root). A node never changes
-- province: every fact row below it carries the key, and on Citus a row cannot change shard.
CREATE OR REPLACE FUNCTION org_node_province() RETURNS trigger AS $$
DECLARE p integer;
BEGIN
  IF NEW.level IN ('head', 'province') OR NEW.parent_id IS NULL THEN
    p := NEW.id;
  ELSE
    SELECT o.province_id INTO p FROM org_nodes o WHERE o.id = NEW.parent_id;
    p := coalesce(p, NEW.id);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.province_id IS DISTINCT FROM p THEN
    RAISE EXCEPTION 'org node % cannot move from province % to %', NEW.id, OLD.province_id, p USING ERRCODE = 'check_violation';
  END IF;
  NEW.province_id := p;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER org_nodes_province BEFORE INSERT OR UPDATE OF parent_id, level ON org_nodes FOR EACH ROW EXECUTE FUNCTION org_node_province();
--> statement-breakpoint
-- The fact tables: the key is filled by the database when the writer leaves it out (a cheap row
-- trigger guarded by WHEN, so a writer that sends the key — e.g. a COPY with a node→province map —
-- pays nothing). An unknown node or sale gets 0, which never survives: the statement-level
-- reference checks (0009) refuse the statement with SQLSTATE 23503 as before.
CREATE OR REPLACE FUNCTION province_from_node() RETURNS trigger AS $$
BEGIN
  NEW.province_id := coalesce((SELECT o.province_id FROM org_nodes o WHERE o.id = NEW.node_id), 0);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION province_from_sale() RETURNS trigger AS $$
BEGIN
  NEW.province_id := coalesce((SELECT s.province_id FROM sales s WHERE s.id = NEW.sale_id), 0);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A sale moved to a node of another province would leave its participants, ledger and totals on
-- the old key (and on Citus cannot change shard): refused; within a province it is recomputed.
CREATE OR REPLACE FUNCTION sales_province_stays() RETURNS trigger AS $$
DECLARE p integer;
BEGIN
  SELECT o.province_id INTO p FROM org_nodes o WHERE o.id = NEW.node_id;
  IF p IS DISTINCT FROM OLD.province_id THEN
    RAISE EXCEPTION 'sale % cannot move from province % to %', NEW.id, OLD.province_id, p USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
ALTER TABLE "sales" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "sale_departments" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "sale_people" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "sale_scoring" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "statement_totals" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "completion_totals" ADD COLUMN "province_id" integer;
--> statement-breakpoint
ALTER TABLE "product_points_totals" ADD COLUMN "province_id" integer;
--> statement-breakpoint
-- backfill an existing bank. The append-only, period-lock and reference triggers guard what the
-- application writes; adding a derived key to rows already written is none of those, so they are
-- off for the backfill only (same transaction: nothing else sees them off).
ALTER TABLE "sales" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "sale_departments" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "sale_people" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "ledger_entries" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "statement_totals" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "completion_totals" DISABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "product_points_totals" DISABLE TRIGGER USER;
--> statement-breakpoint
UPDATE "sales" s SET "province_id" = o.province_id FROM "org_nodes" o WHERE o.id = s.node_id;
--> statement-breakpoint
UPDATE "sale_departments" x SET "province_id" = s.province_id FROM "sales" s WHERE s.id = x.sale_id;
--> statement-breakpoint
UPDATE "sale_people" x SET "province_id" = s.province_id FROM "sales" s WHERE s.id = x.sale_id;
--> statement-breakpoint
UPDATE "sale_scoring" x SET "province_id" = s.province_id FROM "sales" s WHERE s.id = x.sale_id;
--> statement-breakpoint
-- a scoring row of a sale that no longer exists is of no use to anyone: it goes
DELETE FROM "sale_scoring" WHERE "province_id" IS NULL;
--> statement-breakpoint
UPDATE "ledger_entries" x SET "province_id" = o.province_id FROM "org_nodes" o WHERE o.id = x.node_id;
--> statement-breakpoint
UPDATE "statement_totals" x SET "province_id" = o.province_id FROM "org_nodes" o WHERE o.id = x.node_id;
--> statement-breakpoint
UPDATE "completion_totals" x SET "province_id" = o.province_id FROM "org_nodes" o WHERE o.id = x.node_id;
--> statement-breakpoint
UPDATE "product_points_totals" x SET "province_id" = o.province_id FROM "org_nodes" o WHERE o.id = x.node_id;
--> statement-breakpoint
ALTER TABLE "sales" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "sale_departments" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "sale_people" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "ledger_entries" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "statement_totals" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "completion_totals" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "product_points_totals" ENABLE TRIGGER USER;
--> statement-breakpoint
ALTER TABLE "sales" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "sale_departments" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "sale_people" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "sale_scoring" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "statement_totals" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "completion_totals" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "product_points_totals" ALTER COLUMN "province_id" SET NOT NULL;
--> statement-breakpoint
-- Every key of a distributed table includes the distribution column (a Citus rule: a shard can
-- only enforce uniqueness inside itself). It goes LAST, so the index still serves the lookups by
-- id / sale / node it served before. Since the key is a function of the node (and a sale's of its
-- node), widening changes nothing on one server — except sales.source_id, unique now per province:
-- the same source number sent by two provinces' systems is two sales (decision 0043).
ALTER TABLE "sales" DROP CONSTRAINT "sales_pkey";
--> statement-breakpoint
ALTER TABLE "sales" ADD CONSTRAINT "sales_pkey" PRIMARY KEY ("id", "province_id");
--> statement-breakpoint
DROP INDEX "sales_source_uq";
--> statement-breakpoint
CREATE UNIQUE INDEX "sales_source_uq" ON "sales" USING btree ("source_id", "province_id");
--> statement-breakpoint
ALTER TABLE "sale_departments" DROP CONSTRAINT "sale_departments_sale_id_department_id_pk";
--> statement-breakpoint
ALTER TABLE "sale_departments" ADD CONSTRAINT "sale_departments_pk" PRIMARY KEY ("sale_id", "department_id", "province_id");
--> statement-breakpoint
ALTER TABLE "sale_people" DROP CONSTRAINT "sale_people_sale_id_staff_id_department_id_pk";
--> statement-breakpoint
ALTER TABLE "sale_people" ADD CONSTRAINT "sale_people_pk" PRIMARY KEY ("sale_id", "staff_id", "department_id", "province_id");
--> statement-breakpoint
ALTER TABLE "sale_scoring" DROP CONSTRAINT "sale_scoring_pkey";
--> statement-breakpoint
ALTER TABLE "sale_scoring" ADD CONSTRAINT "sale_scoring_pkey" PRIMARY KEY ("sale_id", "province_id");
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_pkey";
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id", "province_id");
--> statement-breakpoint
ALTER TABLE "statement_totals" DROP CONSTRAINT "statement_totals_pk";
--> statement-breakpoint
ALTER TABLE "statement_totals" ADD CONSTRAINT "statement_totals_pk" PRIMARY KEY ("node_id", "period", "grain", "k1", "k2", "role", "province_id");
--> statement-breakpoint
ALTER TABLE "completion_totals" DROP CONSTRAINT "completion_totals_pk";
--> statement-breakpoint
ALTER TABLE "completion_totals" ADD CONSTRAINT "completion_totals_pk" PRIMARY KEY ("node_id", "grain", "k", "period", "department_id", "product_id", "province_id");
--> statement-breakpoint
ALTER TABLE "product_points_totals" DROP CONSTRAINT "product_points_totals_pk";
--> statement-breakpoint
ALTER TABLE "product_points_totals" ADD CONSTRAINT "product_points_totals_pk" PRIMARY KEY ("node_id", "period", "department_id", "staff_id", "product_id", "province_id");
--> statement-breakpoint
CREATE TRIGGER sales_province BEFORE INSERT ON sales FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER sales_province_stays BEFORE UPDATE OF node_id ON sales FOR EACH ROW WHEN (OLD.node_id IS DISTINCT FROM NEW.node_id) EXECUTE FUNCTION sales_province_stays();
--> statement-breakpoint
CREATE TRIGGER sale_departments_province BEFORE INSERT ON sale_departments FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_sale();
--> statement-breakpoint
CREATE TRIGGER sale_people_province BEFORE INSERT ON sale_people FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_sale();
--> statement-breakpoint
CREATE TRIGGER sale_scoring_province BEFORE INSERT ON sale_scoring FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_sale();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_province BEFORE INSERT ON ledger_entries FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER statement_totals_province BEFORE INSERT ON statement_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER completion_totals_province BEFORE INSERT ON completion_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER product_points_totals_province BEFORE INSERT ON product_points_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
