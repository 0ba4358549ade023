-- Issue 12, rule 3: a re-send of a source id with different content is a conflict, not a duplicate.
-- The fingerprint of the content as first sent (sales.content.ts); NULL on the sales recorded
-- before it, whose re-sends are compared field by field with the recorded sale instead.
ALTER TABLE "sales" ADD COLUMN "content_sha256" text;
