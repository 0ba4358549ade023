-- Issue 18, part 2: an import's errors for machines as well as people. Each refused cell (or row,
-- or the file as a whole: row_number NULL) of a job, in the order the error workbook lists them,
-- so GET /api/imports/jobs/:id/errors and `cli import --errors json` can page them. The column is
-- kept as the uploaded sheet named it (column_header) beside the template's name and key.
CREATE TABLE "import_errors" (
	"import_id" text NOT NULL,
	"seq" integer NOT NULL,
	"row_number" integer,
	"column_key" text,
	"column_header" text,
	"template_header" text,
	"code" text NOT NULL,
	"message_zh" text NOT NULL,
	"message_en" text NOT NULL,
	CONSTRAINT "import_errors_import_id_seq_pk" PRIMARY KEY("import_id","seq"),
	CONSTRAINT "import_errors_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE
);
