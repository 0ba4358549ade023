-- Issue 14 (decision 0034): the default assessment caliber (框架协议 70 %, 产品协议 30 %) and the
-- completion steps of tier-2 branches without a coverage plan (1 signing = 60 %, 2 = 100 %), in
-- force from 2000-01-01 until a configure-holder adds a later version.
INSERT INTO "fi_calibers" ("framework_bp", "product_bp", "valid_from", "set_at")
SELECT 7000, 3000, DATE '2000-01-01', now() WHERE NOT EXISTS (SELECT 1 FROM "fi_calibers");
--> statement-breakpoint
INSERT INTO "fi_step_rules" ("steps", "valid_from", "set_at")
SELECT '[{"signings":1,"bp":6000},{"signings":2,"bp":10000}]'::jsonb, DATE '2000-01-01', now() WHERE NOT EXISTS (SELECT 1 FROM "fi_step_rules");
