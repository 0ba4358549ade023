-- Set-based referential integrity for the high-volume sales tables (decision 0013).
-- Per-row FOREIGN KEY triggers ran one lookup per reference per row (five per participant row):
-- a bulk load of sales was five times slower than the same rows without them. These statement-
-- level triggers check every row of an INSERT/COPY/UPDATE with one anti-join per reference and
-- refuse the whole statement with SQLSTATE 23503, as a foreign key would. Deleting a referenced
-- row is refused the same way.

CREATE OR REPLACE FUNCTION linkage_ref_violation(tbl text, col text, val bigint, parent text) RETURNS void AS $$
BEGIN
  RAISE EXCEPTION '%.% = % refers to no row of %', tbl, col, val, parent
    USING ERRCODE = 'foreign_key_violation', TABLE = tbl, COLUMN = col;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sales_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'product_id' AS col, n.product_id::bigint AS val, 'products' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM products x WHERE x.id = n.product_id)
    UNION ALL
    SELECT 'person_id', n.person_id, 'individuals' FROM new_rows n WHERE n.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM individuals x WHERE x.id = n.person_id)
    UNION ALL
    SELECT 'company_id', n.company_id, 'corporate_clients' FROM new_rows n WHERE n.company_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM corporate_clients x WHERE x.id = n.company_id)
    UNION ALL
    SELECT 'development_id', n.development_id, 'developments' FROM new_rows n WHERE n.development_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM developments x WHERE x.id = n.development_id)
    UNION ALL
    SELECT 'host_department_id', n.host_department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.host_department_id)
    UNION ALL
    SELECT 'node_id', n.node_id, 'org_nodes' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM org_nodes x WHERE x.id = n.node_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sales', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sales_refs_insert AFTER INSERT ON sales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_refs_check();
--> statement-breakpoint
CREATE TRIGGER sales_refs_update AFTER UPDATE ON sales REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_refs_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sale_departments_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id)
    UNION ALL
    SELECT 'department_id', n.department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.department_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sale_departments', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sale_departments_refs_insert AFTER INSERT ON sale_departments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sale_departments_refs_check();
--> statement-breakpoint
CREATE TRIGGER sale_departments_refs_update AFTER UPDATE ON sale_departments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sale_departments_refs_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sale_people_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id)
    UNION ALL
    SELECT 'staff_id', n.staff_id, 'staff' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM staff x WHERE x.id = n.staff_id)
    UNION ALL
    SELECT 'department_id', n.department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.department_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sale_people', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sale_people_refs_insert AFTER INSERT ON sale_people REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sale_people_refs_check();
--> statement-breakpoint
CREATE TRIGGER sale_people_refs_update AFTER UPDATE ON sale_people REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sale_people_refs_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledger_entries_refs_check() RETURNS trigger AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.sale_id INTO bad FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id) LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('ledger_entries', 'sale_id', bad, 'sales'); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_refs_insert AFTER INSERT ON ledger_entries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refs_check();
--> statement-breakpoint
-- The parent side: a row still referenced by a sale, a participant, a person line or a ledger
-- entry cannot be deleted (ids are identities and never updated).
CREATE OR REPLACE FUNCTION sales_parent_delete_check() RETURNS trigger AS $$
DECLARE bad bigint;
BEGIN
  IF TG_TABLE_NAME = 'products' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sales s WHERE s.product_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'individuals' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sales s WHERE s.person_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'corporate_clients' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sales s WHERE s.company_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'developments' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sales s WHERE s.development_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'org_nodes' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sales s WHERE s.node_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'staff' THEN
    SELECT o.id INTO bad FROM old_rows o WHERE EXISTS (SELECT 1 FROM sale_people s WHERE s.staff_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'departments' THEN
    SELECT o.id INTO bad FROM old_rows o
     WHERE EXISTS (SELECT 1 FROM sales s WHERE s.host_department_id = o.id)
        OR EXISTS (SELECT 1 FROM sale_departments s WHERE s.department_id = o.id)
        OR EXISTS (SELECT 1 FROM sale_people s WHERE s.department_id = o.id) LIMIT 1;
  ELSIF TG_TABLE_NAME = 'sales' THEN
    SELECT o.id INTO bad FROM old_rows o
     WHERE EXISTS (SELECT 1 FROM ledger_entries s WHERE s.sale_id = o.id)
        OR EXISTS (SELECT 1 FROM sale_departments s WHERE s.sale_id = o.id)
        OR EXISTS (SELECT 1 FROM sale_people s WHERE s.sale_id = o.id) LIMIT 1;
  END IF;
  IF FOUND THEN
    RAISE EXCEPTION '% row % is still referenced by the sales', TG_TABLE_NAME, bad
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER products_sales_refs AFTER DELETE ON products REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER individuals_sales_refs AFTER DELETE ON individuals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER corporate_clients_sales_refs AFTER DELETE ON corporate_clients REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER developments_sales_refs AFTER DELETE ON developments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER org_nodes_sales_refs AFTER DELETE ON org_nodes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER staff_sales_refs AFTER DELETE ON staff REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER departments_sales_refs AFTER DELETE ON departments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
CREATE TRIGGER sales_children_refs AFTER DELETE ON sales REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sales_parent_delete_check();
--> statement-breakpoint
-- statement_totals for a ledger written before the totals existed (same grains as ledger.sql.ts).
INSERT INTO statement_totals (node_id, period, grain, k1, k2, points_hundredths, voided_hundredths, sales)
WITH live AS (
  SELECT e.sale_id, e.node_id, e.period, e.department_id, e.staff_id, e.kind = 'void' AS is_void, sum(e.points_hundredths) AS net
  FROM ledger_entries e GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(e.points_hundredths) <> 0
), keyed AS (
  SELECT l.node_id, l.period, g.grain, g.k1, g.k2, l.sale_id, l.is_void, l.net
  FROM live l JOIN sales s ON s.id = l.sale_id JOIN products p ON p.id = s.product_id
  CROSS JOIN LATERAL (VALUES ('B', 0, 0), ('D', l.department_id, 0), ('P', l.staff_id, l.department_id),
                             ('J', coalesce(s.project_id, 0), 0), ('R', s.product_id, 0),
                             ('V', CASE WHEN p.mortgage THEN s.development_id END, 0)) g(grain, k1, k2)
  WHERE g.k1 IS NOT NULL
)
SELECT node_id, period, grain, k1, k2, coalesce(sum(net) FILTER (WHERE NOT is_void), 0), coalesce(sum(net) FILTER (WHERE is_void), 0), count(DISTINCT sale_id)
FROM keyed GROUP BY 1, 2, 3, 4, 5;
