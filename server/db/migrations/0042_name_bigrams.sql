-- Company-name search by any fragment of two or more characters at province scale (issue 17, goal 3b;
-- decision 0047). A trigram index cannot serve a two-character fragment (电器, 美迪): LIKE '%电器%'
-- read every company. The bigrams of a name (overlapping pairs of characters, lower-cased) in a GIN
-- index serve any fragment of two or more: its bigrams must all be among the name's, and LIKE then
-- rechecks the order. Pure SQL: runs the same on PostgreSQL and PGlite, no extension needed.
CREATE OR REPLACE FUNCTION name_bigrams(s text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(s), i, 2)), '{}'::text[]) FROM generate_series(1, char_length(s) - 1) AS i $$;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS corporate_clients_name_bigrams ON corporate_clients USING gin (name_bigrams(name));
