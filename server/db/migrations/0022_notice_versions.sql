-- Issue 12, rule 2 (second half): the numbered versions of a month's notice. Version 1 is written
-- at publication; each objection upheld with a correction during the window writes the next one,
-- with its change list (per sale: before / after points and lines, reason). A published month
-- without a row is read as version 1 at its published_at.
CREATE TABLE "notice_versions" (
	"node_id" integer NOT NULL,
	"period" date NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" integer,
	"objection_id" integer,
	"reason" text NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "notice_versions_node_id_period_version_pk" PRIMARY KEY("node_id","period","version")
);
