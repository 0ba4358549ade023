-- A year of data (issue 17 goal 5, decision 0042): the ledger and the maintained totals are
-- partitioned by month (native RANGE partitioning on `period`). A month's statement, its
-- dashboards and the year-end assessment read one partition per month; a year leaves as twelve
-- DETACH PARTITIONs (linkage_detach_year), never as a DELETE of millions of rows.
--
-- Each table gets a DEFAULT partition, so a row of a month without its partition is stored, never
-- refused; linkage_ensure_month creates a month's partition and moves that month's rows out of
-- DEFAULT first (the monthly job, jobs/partitions.job.ts, keeps the current month − 1 to + 3 made).
-- Keys: every key already held `period` except the ledger's (id, province_id), now (id,
-- province_id, period) — a partitioned table's unique keys must include its partition column;
-- the id alone stays unique by its sequence. PostgreSQL 15 allows no identity column on a
-- partitioned table, so the ledger id is a plain sequence default (owned by the column: still
-- found by pg_get_serial_sequence).
--
-- Triggers: row triggers (append-only ledger, province fill) are cloned to every partition by
-- PostgreSQL; the statement triggers with transition tables (period lock, reference check) stay on
-- the parent, which sees the rows of every partition a statement touched. TRUNCATE triggers are
-- not inherited: linkage_ensure_month copies them onto each partition, so TRUNCATE of one month is
-- refused as TRUNCATE of the table is.
--
-- `sales` (and its participants) stay unpartitioned for now: its source-id key must stay unique
-- across months, which a partitioned table cannot enforce (decision 0042 addendum).

CREATE OR REPLACE FUNCTION linkage_partition_name(parent text, m date) RETURNS text AS $$
  SELECT parent || '_' || to_char(m, 'YYYY_MM');
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
-- The parent's TRUNCATE guards, copied onto one partition (idempotent).
CREATE OR REPLACE FUNCTION linkage_copy_truncate_guards(parent text, part text) RETURNS void AS $$
DECLARE t record;
BEGIN
  FOR t IN SELECT tg.tgname, pg_get_triggerdef(tg.oid) AS def FROM pg_trigger tg
            WHERE tg.tgrelid = parent::regclass AND NOT tg.tgisinternal AND (tg.tgtype & 32) <> 0 LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part::regclass AND tgname = t.tgname) THEN
      EXECUTE replace(t.def, ' ON public.' || parent || ' ', ' ON public.' || part || ' ');
    END IF;
  END LOOP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The month `m` of a partitioned table: created if missing, its rows moved out of DEFAULT first
-- (a move, not new figures: the rows keep every value; the default partition's row triggers are
-- off for the move only, as the append-only ledger would refuse the DELETE half of it).
-- Returns true when it made the partition.
CREATE OR REPLACE FUNCTION linkage_ensure_month(parent text, m date) RETURNS boolean AS $$
DECLARE
  lo date := date_trunc('month', m)::date;
  hi date := (date_trunc('month', m) + interval '1 month')::date;
  part text := linkage_partition_name(parent, date_trunc('month', m)::date);
  dflt text := parent || '_default';
  col text;
  has_rows boolean;
BEGIN
  IF to_regclass('public.' || part) IS NOT NULL THEN
    RETURN false;
  END IF;
  SELECT a.attname INTO STRICT col FROM pg_partitioned_table p
    JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = parent::regclass;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
  IF to_regclass('public.' || dflt) IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', dflt, col, lo, col, hi) INTO STRICT has_rows;
    IF has_rows THEN
      EXECUTE format('ALTER TABLE %I DISABLE TRIGGER USER', dflt);
      EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved', dflt, col, lo, col, hi, part);
      EXECUTE format('ALTER TABLE %I ENABLE TRIGGER USER', dflt);
    END IF;
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  PERFORM linkage_copy_truncate_guards(parent, part);
  RETURN true;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Every month from `first` to `last` of every month-partitioned table, plus every month that has
-- rows in a DEFAULT partition. Serialised (one advisory key): two instances' jobs never race on
-- CREATE TABLE. Returns the number of partitions made.
CREATE OR REPLACE FUNCTION linkage_ensure_months(first date, last date) RETURNS integer AS $$
DECLARE
  t text;
  m date;
  waiting date[];
  made integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(7301048);
  FOREACH t IN ARRAY ARRAY['ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals'] LOOP
    m := date_trunc('month', first)::date;
    WHILE m <= last LOOP
      IF linkage_ensure_month(t, m) THEN made := made + 1; END IF;
      m := (m + interval '1 month')::date;
    END LOOP;
    -- Read into an array first: a cursor open on DEFAULT would forbid altering it (55006).
    EXECUTE format('SELECT coalesce(array_agg(DISTINCT date_trunc(''month'', period)::date), ''{}'') FROM %I', t || '_default') INTO STRICT waiting;
    FOREACH m IN ARRAY waiting LOOP
      IF linkage_ensure_month(t, m) THEN made := made + 1; END IF;
    END LOOP;
  END LOOP;
  RETURN made;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- ── ledger_entries ────────────────────────────────────────────────────────────────────────────
ALTER TABLE "ledger_entries" RENAME TO "ledger_entries_unpartitioned";
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
  "id" bigint NOT NULL,
  "sale_id" integer NOT NULL,
  "node_id" integer NOT NULL,
  "period" date NOT NULL,
  "kind" text NOT NULL,
  "department_id" integer NOT NULL,
  "staff_id" integer,
  "points_hundredths" bigint NOT NULL,
  "rule_version" text NOT NULL,
  "reverses_id" bigint,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "adjusts_period" date,
  "role" text,
  "province_id" integer NOT NULL
) PARTITION BY RANGE ("period");
--> statement-breakpoint
CREATE TABLE "ledger_entries_default" PARTITION OF "ledger_entries" DEFAULT;
--> statement-breakpoint
-- ── statement_totals ──────────────────────────────────────────────────────────────────────────
ALTER TABLE "statement_totals" RENAME TO "statement_totals_unpartitioned";
--> statement-breakpoint
CREATE TABLE "statement_totals" (
  "node_id" integer NOT NULL,
  "period" date NOT NULL,
  "grain" text NOT NULL,
  "k1" integer NOT NULL,
  "k2" integer DEFAULT 0 NOT NULL,
  "points_hundredths" bigint DEFAULT 0 NOT NULL,
  "voided_hundredths" bigint DEFAULT 0 NOT NULL,
  "sales" integer DEFAULT 0 NOT NULL,
  "role" text DEFAULT '' NOT NULL,
  "province_id" integer NOT NULL
) PARTITION BY RANGE ("period");
--> statement-breakpoint
CREATE TABLE "statement_totals_default" PARTITION OF "statement_totals" DEFAULT;
--> statement-breakpoint
-- ── product_points_totals ─────────────────────────────────────────────────────────────────────
ALTER TABLE "product_points_totals" RENAME TO "product_points_totals_unpartitioned";
--> statement-breakpoint
CREATE TABLE "product_points_totals" (
  "node_id" integer NOT NULL,
  "period" date NOT NULL,
  "department_id" integer NOT NULL,
  "staff_id" integer DEFAULT 0 NOT NULL,
  "product_id" integer NOT NULL,
  "points_hundredths" bigint DEFAULT 0 NOT NULL,
  "province_id" integer NOT NULL
) PARTITION BY RANGE ("period");
--> statement-breakpoint
CREATE TABLE "product_points_totals_default" PARTITION OF "product_points_totals" DEFAULT;
--> statement-breakpoint
-- ── completion_totals ─────────────────────────────────────────────────────────────────────────
ALTER TABLE "completion_totals" RENAME TO "completion_totals_unpartitioned";
--> statement-breakpoint
CREATE TABLE "completion_totals" (
  "node_id" integer NOT NULL,
  "grain" text NOT NULL,
  "k" integer DEFAULT 0 NOT NULL,
  "period" date NOT NULL,
  "department_id" integer NOT NULL,
  "product_id" integer NOT NULL,
  "quantity_1e4" bigint DEFAULT 0 NOT NULL,
  "sales" integer DEFAULT 0 NOT NULL,
  "province_id" integer NOT NULL
) PARTITION BY RANGE ("period");
--> statement-breakpoint
CREATE TABLE "completion_totals_default" PARTITION OF "completion_totals" DEFAULT;
--> statement-breakpoint
-- The months the data has, and the twelve months before the current one to three after: the
-- year a bank may load as history on its first day lands in its months, not in DEFAULT (the job
-- keeps the current month − 1 to + 3 made; `linkage months` makes older ones before a load).
SELECT linkage_ensure_month(t.parent, m.month)
  FROM (VALUES ('ledger_entries'), ('statement_totals'), ('product_points_totals'), ('completion_totals')) t(parent)
  CROSS JOIN (
    SELECT DISTINCT date_trunc('month', period)::date AS month FROM (
      SELECT period FROM "ledger_entries_unpartitioned"
      UNION SELECT period FROM "statement_totals_unpartitioned"
      UNION SELECT period FROM "product_points_totals_unpartitioned"
      UNION SELECT period FROM "completion_totals_unpartitioned"
      UNION SELECT (date_trunc('month', now()) + make_interval(months => g))::date FROM generate_series(-12, 3) g
    ) p
  ) m
 ORDER BY 1;
--> statement-breakpoint
-- The rows, before any index or trigger of the new tables exists (one pass, no checks to re-run:
-- they were checked when first written).
INSERT INTO "ledger_entries" ("id", "sale_id", "node_id", "period", "kind", "department_id", "staff_id", "points_hundredths", "rule_version", "reverses_id", "created_at", "adjusts_period", "role", "province_id")
  SELECT "id", "sale_id", "node_id", "period", "kind", "department_id", "staff_id", "points_hundredths", "rule_version", "reverses_id", "created_at", "adjusts_period", "role", "province_id" FROM "ledger_entries_unpartitioned";
--> statement-breakpoint
INSERT INTO "statement_totals" ("node_id", "period", "grain", "k1", "k2", "points_hundredths", "voided_hundredths", "sales", "role", "province_id")
  SELECT "node_id", "period", "grain", "k1", "k2", "points_hundredths", "voided_hundredths", "sales", "role", "province_id" FROM "statement_totals_unpartitioned";
--> statement-breakpoint
INSERT INTO "product_points_totals" ("node_id", "period", "department_id", "staff_id", "product_id", "points_hundredths", "province_id")
  SELECT "node_id", "period", "department_id", "staff_id", "product_id", "points_hundredths", "province_id" FROM "product_points_totals_unpartitioned";
--> statement-breakpoint
INSERT INTO "completion_totals" ("node_id", "grain", "k", "period", "department_id", "product_id", "quantity_1e4", "sales", "province_id")
  SELECT "node_id", "grain", "k", "period", "department_id", "product_id", "quantity_1e4", "sales", "province_id" FROM "completion_totals_unpartitioned";
--> statement-breakpoint
-- The ledger's id sequence, continuing where the identity stopped.
CREATE SEQUENCE "ledger_entries_id_seq_p" AS bigint;
--> statement-breakpoint
SELECT setval('ledger_entries_id_seq_p', coalesce((SELECT max("id") FROM "ledger_entries_unpartitioned"), 0) + 1, false);
--> statement-breakpoint
DROP TABLE "ledger_entries_unpartitioned";
--> statement-breakpoint
DROP TABLE "statement_totals_unpartitioned";
--> statement-breakpoint
DROP TABLE "product_points_totals_unpartitioned";
--> statement-breakpoint
DROP TABLE "completion_totals_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "ledger_entries_id_seq_p" RENAME TO "ledger_entries_id_seq";
--> statement-breakpoint
ALTER SEQUENCE "ledger_entries_id_seq" OWNED BY "ledger_entries"."id";
--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "id" SET DEFAULT nextval('ledger_entries_id_seq');
--> statement-breakpoint
-- Keys and indexes on the parents (built on every partition, and on each one attached later).
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id", "province_id", "period");
--> statement-breakpoint
CREATE INDEX "ledger_sale_idx" ON "ledger_entries" USING btree ("sale_id");
--> statement-breakpoint
CREATE INDEX "ledger_node_period_idx" ON "ledger_entries" USING btree ("node_id", "period");
--> statement-breakpoint
CREATE INDEX "ledger_adjusts_idx" ON "ledger_entries" USING btree ("node_id", "adjusts_period") WHERE "adjusts_period" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "ledger_written_adjusts_idx" ON "ledger_entries" USING btree ("node_id", "period") WHERE "adjusts_period" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "statement_totals" ADD CONSTRAINT "statement_totals_pk" PRIMARY KEY ("node_id", "period", "grain", "k1", "k2", "role", "province_id");
--> statement-breakpoint
ALTER TABLE "product_points_totals" ADD CONSTRAINT "product_points_totals_pk" PRIMARY KEY ("node_id", "period", "department_id", "staff_id", "product_id", "province_id");
--> statement-breakpoint
CREATE INDEX "product_points_totals_staff_idx" ON "product_points_totals" USING btree ("staff_id", "period");
--> statement-breakpoint
ALTER TABLE "completion_totals" ADD CONSTRAINT "completion_totals_pk" PRIMARY KEY ("node_id", "grain", "k", "period", "department_id", "product_id", "province_id");
--> statement-breakpoint
-- Triggers, as they were on the unpartitioned tables (migrations 0005, 0009, 0012, 0018, 0039).
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_update BEFORE DELETE OR UPDATE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_period_lock AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_refs_insert AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refs_check();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_province BEFORE INSERT ON ledger_entries FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER statement_totals_no_truncate BEFORE TRUNCATE ON statement_totals FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_when_locked('LK001');
--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_delete AFTER DELETE ON statement_totals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_delete_check();
--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_insert AFTER INSERT ON statement_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER statement_totals_period_lock_update AFTER UPDATE ON statement_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER statement_totals_province BEFORE INSERT ON statement_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER product_points_totals_period_lock_insert AFTER INSERT ON product_points_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER product_points_totals_period_lock_update AFTER UPDATE ON product_points_totals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION period_lock_check();
--> statement-breakpoint
CREATE TRIGGER product_points_totals_province BEFORE INSERT ON product_points_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
CREATE TRIGGER completion_totals_province BEFORE INSERT ON completion_totals FOR EACH ROW WHEN (NEW.province_id IS NULL) EXECUTE FUNCTION province_from_node();
--> statement-breakpoint
-- The TRUNCATE guards onto the partitions made above (those made later copy them themselves).
SELECT linkage_copy_truncate_guards(p.parent, c.relname)
  FROM (VALUES ('ledger_entries'), ('statement_totals')) p(parent)
  JOIN pg_inherits i ON i.inhparent = p.parent::regclass
  JOIN pg_class c ON c.oid = i.inhrelid;
--> statement-breakpoint
-- The years taken out of the online data: a statement, dashboard or assessment of one answers
-- 410 PERIOD.ARCHIVED instead of empty figures (partitions.ts assertOnline).
CREATE TABLE "archived_years" (
  "year" integer PRIMARY KEY,
  "detached_at" timestamp with time zone DEFAULT now() NOT NULL,
  "tables" text[] NOT NULL
);
--> statement-breakpoint
-- A year leaves as partitions: every month of `y` must be locked for every branch that has one,
-- and every branch-month with figures has one (no row = a draft; an open month could still change). Detached, each month is an ordinary table named as before
-- (ledger_entries_2025_01 …), to be dumped to the archive and dropped, or attached again. Returns
-- the tables detached.
CREATE OR REPLACE FUNCTION linkage_detach_year(y integer) RETURNS text[] AS $$
DECLARE
  t text;
  m date;
  part text;
  has_rows boolean;
  out text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(7301048);
  -- A month without a periods row is a draft: every branch-month with figures must be locked.
  IF EXISTS (SELECT 1 FROM periods WHERE extract(year FROM period) = y AND state <> 'locked')
     OR EXISTS (SELECT 1 FROM (SELECT node_id, period FROM statement_totals WHERE period >= make_date(y, 1, 1) AND period < make_date(y + 1, 1, 1)
                               UNION SELECT node_id, period FROM ledger_entries WHERE period >= make_date(y, 1, 1) AND period < make_date(y + 1, 1, 1)) f
                 WHERE NOT EXISTS (SELECT 1 FROM periods p WHERE p.node_id = f.node_id AND p.period = f.period AND p.state = 'locked')) THEN
    RAISE EXCEPTION 'year % has months not locked: nothing detached', y USING ERRCODE = 'LK002';
  END IF;
  FOREACH t IN ARRAY ARRAY['ledger_entries', 'statement_totals', 'product_points_totals', 'completion_totals'] LOOP
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = t || '_default') THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE extract(year FROM period) = %s)', t || '_default', y) INTO STRICT has_rows;
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
--> statement-breakpoint
-- An archived year back on line: every table listed for it must be in the database again (restored
-- from its dump); all of them are attached, or none (one transaction). Returns the tables attached.
CREATE OR REPLACE FUNCTION linkage_attach_year(y integer) RETURNS text[] AS $$
DECLARE
  t text;
  m date;
  tabs text[];
  out text[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(7301048);
  SELECT tables INTO tabs FROM archived_years WHERE year = y;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'year % is not archived', y USING ERRCODE = 'LK002';
  END IF;
  FOREACH t IN ARRAY tabs LOOP
    IF to_regclass('public.' || t) IS NULL THEN
      RAISE EXCEPTION 'table % is not in the database: restore it from the archive first', t USING ERRCODE = 'LK002';
    END IF;
    m := to_date(right(t, 7), 'YYYY_MM');
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', left(t, length(t) - 8), t, m, (m + interval '1 month')::date);
    out := out || t;
  END LOOP;
  DELETE FROM archived_years WHERE year = y;
  RETURN out;
END;
$$ LANGUAGE plpgsql;
