-- Client search by any part of a name (SPEC §2, issue: search by name at province scale).
-- pg_trgm ships with PostgreSQL (contrib) and with PGlite; CREATE EXTENSION needs a role that may
-- create extensions in production.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS corporate_clients_name_trgm ON corporate_clients USING gin (name gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS individuals_name_trgm ON individuals USING gin (name gin_trgm_ops);
