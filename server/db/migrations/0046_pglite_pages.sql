-- Two look-ups the main pages make and no index served (decision 0048). On PGlite, one connection
-- shared by every request, a 0.5 s scan on one page is 0.5 s of wait on every other page.
-- A person's points by month (workbench: my points, my rank among the branch's people): the
-- primary key leads with the branch, so "staff_id = ? AND period = ?" scanned the whole table
-- once per person ranked.
CREATE INDEX IF NOT EXISTS "product_points_totals_staff_idx" ON "product_points_totals" USING btree ("staff_id","period");
--> statement-breakpoint
-- The corrections written into a month (the statement's adjustment lines): ledger_adjusts_idx
-- finds corrections OF a month; those written IN a month were every ledger line of the branch-month,
-- filtered.
CREATE INDEX IF NOT EXISTS "ledger_written_adjusts_idx" ON "ledger_entries" USING btree ("node_id","period") WHERE adjusts_period IS NOT NULL;
