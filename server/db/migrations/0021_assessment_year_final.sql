-- Issue 12 (rule 4): the year-end assessment is final only after the year is. The committee may
-- reopen a finally assessed year: the run is then superseded (who, when, why) and stays readable.
ALTER TABLE "assessment_runs" ADD COLUMN "superseded_by" integer;--> statement-breakpoint
ALTER TABLE "assessment_runs" ADD COLUMN "superseded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assessment_runs" ADD COLUMN "supersede_reason" text;--> statement-breakpoint
-- One approved or locked result per branch and year; superseded runs stay beside the next one.
DROP INDEX "assessment_runs_final_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_runs_final_uq" ON "assessment_runs" USING btree ("node_id","year") WHERE state IN ('approved', 'locked');--> statement-breakpoint
-- A locked run stays as it is, except for being superseded (state and the superseded_* columns,
-- nothing else); a superseded run never changes again.
CREATE OR REPLACE FUNCTION assessment_runs_stay_locked() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'superseded' THEN
    RAISE EXCEPTION 'assessment run % is superseded', OLD.id USING ERRCODE = 'LK003', TABLE = 'assessment_runs';
  END IF;
  IF OLD.state = 'locked' THEN
    IF TG_OP = 'UPDATE' AND NEW.state = 'superseded'
       AND (to_jsonb(NEW) - 'state' - 'superseded_by' - 'superseded_at' - 'supersede_reason')
         = (to_jsonb(OLD) - 'state' - 'superseded_by' - 'superseded_at' - 'supersede_reason') THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'assessment run % is locked', OLD.id USING ERRCODE = 'LK003', TABLE = 'assessment_runs';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
-- Superseded runs are history too: no TRUNCATE while any run is locked or superseded.
CREATE OR REPLACE FUNCTION refuse_truncate_when_locked() RETURNS trigger AS $$
BEGIN
  IF (TG_TABLE_NAME = 'assessment_runs' AND EXISTS (SELECT 1 FROM assessment_runs WHERE state IN ('locked', 'superseded')))
     OR (TG_TABLE_NAME <> 'assessment_runs' AND EXISTS (SELECT 1 FROM periods WHERE state = 'locked')) THEN
    RAISE EXCEPTION '% holds locked rows (TRUNCATE refused)', TG_TABLE_NAME USING ERRCODE = TG_ARGV[0], TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
