-- People are looked up by surname or full name from the start (customers.policy.ts personNameMatch):
-- a pattern-ops btree serves `name LIKE '王芳%'` whatever the database's collation.
CREATE INDEX IF NOT EXISTS individuals_name_prefix ON individuals (name text_pattern_ops);
