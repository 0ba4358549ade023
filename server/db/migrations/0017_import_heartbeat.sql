-- An import's process proves it is alive by touching heartbeat_at while it validates and writes;
-- a row in flight whose heartbeat stopped belongs to a dead process and is marked failed
-- (issue 10: an import killed mid-way stayed "writing" forever).
ALTER TABLE "imports" ADD COLUMN "heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL;
