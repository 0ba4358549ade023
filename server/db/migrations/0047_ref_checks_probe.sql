-- The statement-level reference checks of 0009, with each reference to a large or growing table
-- (sales, individuals, corporate clients, staff, developments) checked by a probe of that table's
-- primary key per new row instead of an anti-join (decision 0049). PostgreSQL 15 answers
-- `new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id)` with a hash anti
-- join that hashes the WHOLE parent table on every statement: each 20,000-row COPY of a bulk import
-- re-read every sale recorded before it (~300 ms per chunk at 200 k sales, growing with the table,
-- so quadratic over a 5 M-sale load). `OFFSET 0` keeps the sub-select from being pulled up into a
-- join, so it runs as one index probe per new row: a cost that follows the rows written, not the
-- size of the table. Small, bounded parents (products, departments, org nodes) keep the anti-join:
-- hashing a few thousand rows once is cheaper than probing for every row.
-- The ledger's check (ledger_entries → sales) stays an anti-join: the ledger is written by one
-- statement per scoring, whose millions of lines outnumber the sales they hash once.
-- Same refusals, same SQLSTATE 23503, same messages.
CREATE OR REPLACE FUNCTION sales_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'product_id' AS col, n.product_id::bigint AS val, 'products' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM products x WHERE x.id = n.product_id)
    UNION ALL
    SELECT 'person_id', n.person_id, 'individuals' FROM new_rows n WHERE n.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM individuals x WHERE x.id = n.person_id OFFSET 0)
    UNION ALL
    SELECT 'company_id', n.company_id, 'corporate_clients' FROM new_rows n WHERE n.company_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM corporate_clients x WHERE x.id = n.company_id OFFSET 0)
    UNION ALL
    SELECT 'development_id', n.development_id, 'developments' FROM new_rows n WHERE n.development_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM developments x WHERE x.id = n.development_id OFFSET 0)
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
CREATE OR REPLACE FUNCTION sale_departments_refs_check() RETURNS trigger AS $$
DECLARE bad record;
BEGIN
  SELECT * INTO bad FROM (
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id OFFSET 0)
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
    SELECT 'sale_id' AS col, n.sale_id::bigint AS val, 'sales' AS parent FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM sales x WHERE x.id = n.sale_id OFFSET 0)
    UNION ALL
    SELECT 'staff_id', n.staff_id, 'staff' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM staff x WHERE x.id = n.staff_id OFFSET 0)
    UNION ALL
    SELECT 'department_id', n.department_id, 'departments' FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.id = n.department_id)
  ) v LIMIT 1;
  IF FOUND THEN PERFORM linkage_ref_violation('sale_people', bad.col, bad.val, bad.parent); END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
