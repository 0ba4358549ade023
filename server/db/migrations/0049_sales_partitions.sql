-- A year of data, the sales too (issue 17 goal 5, decision 0042 second addendum): `sales` is
-- partitioned by month on `sale_date`, like the ledger and the totals (0048), so archiving a year
-- detaches its sales with its figures and a month's scoring reads one partition.
--
-- What a partitioned table cannot hold is a key without its partition column: the source id must stay
-- unique per province across every month (a re-sent file, two racing imports: one sale), and child rows
-- must find their sale by id alone. Both move to `sale_keys`, one narrow unpartitioned row per sale —
-- (sale_id, province_id) as its primary key, (source_id, province_id) unique under the old index's name
-- `sales_source_uq`, so a duplicate is refused with the same SQLSTATE 23505 and the same constraint name.
-- It is written by a statement trigger on `sales` from the statement's transition table (one
-- INSERT … SELECT per COPY chunk, every path: bulk COPY, single inserts, the seed), kept in step on
-- DELETE and TRUNCATE, and an UPDATE may not change the key or the month (a sale's month never
-- changes: a date in another month is a strike and a new sale, as a locked month already requires).
-- The children's reference checks and province fill (sale_departments, sale_people, sale_scoring,
-- ledger_entries) probe `sale_keys` — one index, not one per month.
--
-- The sales id becomes a sequence default (PostgreSQL 15 has no identity on a partitioned table),
-- continuing the identity's values, owned by the column as the ledger's is.

CREATE TABLE "sale_keys" (
  "sale_id" integer NOT NULL,
  "province_id" integer NOT NULL,
  "source_id" text NOT NULL,
  "sale_date" date NOT NULL,
  "content_sha256" text,
  CONSTRAINT "sale_keys_pkey" PRIMARY KEY ("sale_id", "province_id")
);
--> statement-breakpoint
ALTER TABLE "sales" RENAME TO "sales_unpartitioned";
--> statement-breakpoint
ALTER TABLE "sales_unpartitioned" RENAME CONSTRAINT "sales_pkey" TO "sales_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "sales_source_uq" RENAME TO "sales_unpartitioned_source_uq";
--> statement-breakpoint
ALTER INDEX "sales_node_date_idx" RENAME TO "sales_unpartitioned_node_date_idx";
--> statement-breakpoint
ALTER INDEX "sales_development_idx" RENAME TO "sales_unpartitioned_development_idx";
--> statement-breakpoint
CREATE TABLE "sales" (
  "id" integer NOT NULL,
  "source_id" text NOT NULL,
  "product_id" integer NOT NULL,
  "person_id" integer,
  "company_id" integer,
  "project_id" integer,
  "development_id" integer,
  "sale_date" date NOT NULL,
  "quantity_1e4" bigint NOT NULL,
  "host_department_id" integer NOT NULL,
  "node_id" integer NOT NULL,
  "created_by" integer,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "struck_at" timestamp with time zone,
  "struck_reason" text,
  "content_sha256" text,
  "province_id" integer NOT NULL
) PARTITION BY RANGE ("sale_date");
--> statement-breakpoint
CREATE TABLE "sales_default" PARTITION OF "sales" DEFAULT;
--> statement-breakpoint
-- The months the sales have, and the window the ledger's migration made (twelve before now to three after).
SELECT linkage_ensure_month('sales', m.month)
  FROM (
    SELECT DISTINCT date_trunc('month', d)::date AS month FROM (
      SELECT sale_date AS d FROM "sales_unpartitioned"
      UNION SELECT (date_trunc('month', now()) + make_interval(months => g))::date FROM generate_series(-12, 3) g
    ) p
  ) m
 ORDER BY 1;
--> statement-breakpoint
-- The rows and their keys, before any index or trigger of the new table exists (checked when first written).
INSERT INTO "sales" ("id", "source_id", "product_id", "person_id", "company_id", "project_id", "development_id", "sale_date", "quantity_1e4",
                     "host_department_id", "node_id", "created_by", "created_at", "struck_at", "struck_reason", "content_sha256", "province_id")
  SELECT "id", "source_id", "product_id", "person_id", "company_id", "project_id", "development_id", "sale_date", "quantity_1e4",
         "host_department_id", "node_id", "created_by", "created_at", "struck_at", "struck_reason", "content_sha256", "province_id"
    FROM "sales_unpartitioned";
--> statement-breakpoint
INSERT INTO "sale_keys" ("sale_id", "province_id", "source_id", "sale_date", "content_sha256")
  SELECT "id", "province_id", "source_id", "sale_date", "content_sha256" FROM "sales_unpartitioned";
--> statement-breakpoint
CREATE SEQUENCE "sales_id_seq_p" AS integer;
--> statement-breakpoint
SELECT setval('sales_id_seq_p', greatest(coalesce((SELECT max("id") FROM "sales_unpartitioned"), 0),
                                         (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM "sales_id_seq")) + 1, false);
--> statement-breakpoint
DROP TABLE "sales_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "sales_id_seq_p" RENAME TO "sales_id_seq";
--> statement-breakpoint
ALTER SEQUENCE "sales_id_seq" OWNED BY "sales"."id";
--> statement-breakpoint
ALTER TABLE "sales" ALTER COLUMN "id" SET DEFAULT nextval('sales_id_seq');
--> statement-breakpoint
-- Keys and indexes on the parent (built on every partition, and on each one attached later).
ALTER TABLE "sales" ADD CONSTRAINT "sales_pkey" PRIMARY KEY ("id", "province_id", "sale_date");
--> statement-breakpoint
CREATE INDEX "sales_node_date_idx" ON "sales" USING btree ("node_id", "sale_date");
--> statement-breakpoint
CREATE INDEX "sales_development_idx" ON "sales" USING btree ("development_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "sales_source_uq" ON "sale_keys" USING btree ("source_id", "province_id");
--> statement-breakpoint
-- ── sale_keys kept in step ───────────────────────────────────────────────────────────────────────
CREATE OR REPLACE FUNCTION sales_keys_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO sale_keys (sale_id, province_id, source_id, sale_date, content_sha256)
    SELECT id, province_id, source_id, sale_date, content_sha256 FROM new_rows;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sales_keys_delete() RETURNS trigger AS $$
BEGIN
  DELETE FROM sale_keys k USING old_rows o WHERE k.sale_id = o.id AND k.province_id = o.province_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- TRUNCATE of the table or of one month: the keys of the rows it empties (run before they go).
CREATE OR REPLACE FUNCTION sales_keys_truncate() RETURNS trigger AS $$
BEGIN
  EXECUTE format('DELETE FROM sale_keys k WHERE EXISTS (SELECT 1 FROM %I s WHERE s.id = k.sale_id AND s.province_id = k.province_id)', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A sale keeps its id, source id, date and province (its key and its partition); its fingerprint may
-- only follow into the key (a sale recorded before fingerprints, 0020, has none in either).
CREATE OR REPLACE FUNCTION sales_keys_stay() RETURNS trigger AS $$
BEGIN
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.source_id IS DISTINCT FROM OLD.source_id OR NEW.sale_date IS DISTINCT FROM OLD.sale_date
     OR NEW.province_id IS DISTINCT FROM OLD.province_id THEN
    RAISE EXCEPTION 'sale % keeps its id, source id and date: a sale of another date is struck and recorded again', OLD.id
      USING ERRCODE = 'check_violation', TABLE = 'sales';
  END IF;
  IF NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256 THEN
    UPDATE sale_keys SET content_sha256 = NEW.content_sha256 WHERE sale_id = NEW.id AND province_id = NEW.province_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The TRUNCATE check of 0016, with a month of sales counted as the sales.
CREATE OR REPLACE FUNCTION sales_parent_truncate_check() RETURNS trigger AS $$
DECLARE referenced boolean;
BEGIN
  referenced := CASE CASE WHEN TG_TABLE_NAME ~ '^sales_([0-9]{4}_[0-9]{2}|default)$' THEN 'sales' ELSE TG_TABLE_NAME END
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
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- ── the children find their sale in sale_keys ────────────────────────────────────────────────────
CREATE OR REPLACE FUNCTION province_from_sale() RETURNS trigger AS $$
BEGIN
  NEW.province_id := coalesce((SELECT k.province_id FROM sale_keys k WHERE k.sale_id = NEW.sale_id), 0);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entries_refs_check() RETURNS trigger AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.sale_id INTO bad FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sale_keys x WHERE x.sale_id = n.sale_id) LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('ledger_entries', 'sale_id', bad, 'sales'); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sale_departments_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sale_keys x WHERE x.sale_id = n.sale_id OFFSET 0)
    UNION ALL
    SELECT 'department_id', n.department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.department_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sale_departments', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sale_people_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sale_keys x WHERE x.sale_id = n.sale_id OFFSET 0)
    UNION ALL
    SELECT 'staff_id', n.staff_id, 'staff' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM staff x WHERE x.id = n.staff_id OFFSET 0)
    UNION ALL
    SELECT 'department_id', n.department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.department_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sale_people', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- ── triggers of `sales`, as they were (0009, 0016, 0039), and the keys' ──────────────────────────
CREATE TRIGGER sales_refs_insert AFTER INSERT ON sales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_refs_check();
--> statement-breakpoint
CREATE TRIGGER sales_refs_update AFTER UPDATE ON sales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_refs_check();
--> statement-breakpoint
CREATE TRIGGER sales_children_refs AFTER DELETE ON sales REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER sales_children_truncate BEFORE TRUNCATE ON sales FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_truncate_check();
--> statement-breakpoint
CREATE TRIGGER sales_province BEFORE INSERT ON sales FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER sales_province_stays BEFORE UPDATE OF node_id ON sales FOR EACH ROW WHEN (OLD.node_id IS DISTINCT FROM NEW.node_id) EXECUTE FUNCTION sales_province_stays();
--> statement-breakpoint
CREATE TRIGGER sales_keys_insert AFTER INSERT ON sales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_keys_insert();
--> statement-breakpoint
CREATE TRIGGER sales_keys_delete AFTER DELETE ON sales REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_keys_delete();
--> statement-breakpoint
CREATE TRIGGER sales_keys_truncate BEFORE TRUNCATE ON sales FOR EACH STATEMENT EXECUTE FUNCTION sales_keys_truncate();
--> statement-breakpoint
CREATE TRIGGER sales_keys_stay BEFORE UPDATE OF id, source_id, sale_date, province_id, content_sha256 ON sales FOR EACH ROW EXECUTE FUNCTION sales_keys_stay();
--> statement-breakpoint
SELECT linkage_copy_truncate_guards('sales', c.relname)
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'sales'::regclass;
--> statement-breakpoint
-- ── months and years, the sales among them ───────────────────────────────────────────────────────
-- The partition column of a month-partitioned table (period, or sale_date for the sales).
CREATE OR REPLACE FUNCTION linkage_partition_column(parent text) RETURNS text AS $$
  SELECT a.attname::text FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent::regclass;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION linkage_ensure_months(first date, last date) RETURNS integer AS $$
DECLARE
  t text;
  m date;
  waiting date[];
  made integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7301048);
  FOREACH t IN ARRAY ARRAY['sales', 'ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals'] LOOP
    m := date_trunc('month', first)::date;
    WHILE m <= last LOOP
      IF linkage_ensure_month(t, m) THEN made := made + 1; END IF;
      m := (m + interval '1 month')::date;
    END LOOP;
    -- Read into an array first: a cursor open on DEFAULT would forbid altering it (55006).
    EXECUTE format('SELECT coalesce(array_agg(DISTINCT date_trunc(''month'', %I)::date), ''{}'') FROM %I', linkage_partition_column(t), t || '_default') INTO STRICT waiting;
    FOREACH m IN ARRAY waiting LOOP
      IF linkage_ensure_month(t, m) THEN made := made + 1; END IF;
    END LOOP;
  END LOOP;
  RETURN made;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- As 0048, with the sales: a month with sales but no figures is a branch-month too (it must be
-- locked), and a year whose sales a later month's ledger lines still reference (an adjustment written
-- in January of a December sale) is refused — detached, those lines would point at nothing on line.
CREATE OR REPLACE FUNCTION linkage_detach_year(y integer) RETURNS text[] AS $$
DECLARE
  t text;
  m date;
  part text;
  has_rows boolean;
  y0 date := make_date(y, 1, 1);
  y1 date := make_date(y + 1, 1, 1);
  later integer;
  first_month date;
  last_month date;
  out text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(7301048);
  -- A month without a periods row is a draft: every branch-month with figures or sales must be locked.
  IF EXISTS (SELECT 1 FROM periods WHERE extract(year FROM period) = y AND state <> 'locked')
     OR EXISTS (SELECT 1 FROM (SELECT node_id, period FROM statement_totals WHERE period >= y0 AND period < y1
                               UNION SELECT node_id, period FROM ledger_entries WHERE period >= y0 AND period < y1
                               UNION SELECT node_id, date_trunc('month', sale_date)::date FROM sales WHERE sale_date >= y0 AND sale_date < y1) f
                 WHERE NOT EXISTS (SELECT 1 FROM periods p WHERE p.node_id = f.node_id AND p.period = f.period AND p.state = 'locked')) THEN
    RAISE EXCEPTION 'year % has months not locked: nothing detached', y USING ERRCODE = 'LK002';
  END IF;
  SELECT count(*)::int, min(l.period), max(l.period) INTO later, first_month, last_month
    FROM ledger_entries l JOIN sale_keys k ON k.sale_id = l.sale_id AND k.province_id = l.province_id
   WHERE (l.period < y0 OR l.period >= y1) AND k.sale_date >= y0 AND k.sale_date < y1;
  IF later > 0 THEN
    RAISE EXCEPTION 'sales of % are referenced by % ledger line(s) of another year, written in % to %: archive that year first, then this one',
      y, later, to_char(first_month, 'YYYY-MM'), to_char(last_month, 'YYYY-MM') USING ERRCODE = 'LK002';
  END IF;
  FOREACH t IN ARRAY ARRAY['sales', 'ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals'] LOOP
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = t || '_default') THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', t || '_default', linkage_partition_column(t), y0, linkage_partition_column(t), y1) INTO STRICT has_rows;
      IF has_rows THEN
        RAISE EXCEPTION '% holds rows of % outside a month partition: run linkage_ensure_months first', t || '_default', y USING ERRCODE = 'LK002';
      END IF;
    END IF;
    FOR m IN SELECT make_date(y, g, 1) FROM generate_series(1, 12) g LOOP
      part := linkage_partition_name(t, m);
      IF to_regclass('public.' || part) IS NOT NULL THEN
        EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', t, part);
        out := out || part;
      END IF;
    END LOOP;
  END LOOP;
  INSERT INTO archived_years (year, tables) VALUES (y, out)
    ON CONFLICT (year) DO UPDATE SET tables = archived_years.tables || EXCLUDED.tables, detached_at = now();
  RETURN out;
END;
$$ LANGUAGE plpgsql;
