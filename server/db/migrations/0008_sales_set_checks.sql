CREATE TABLE "sale_scoring" (
	"sale_id" integer PRIMARY KEY NOT NULL,
	"rule_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_totals" (
	"node_id" integer NOT NULL,
	"period" date NOT NULL,
	"grain" text NOT NULL,
	"k1" integer NOT NULL,
	"k2" integer DEFAULT 0 NOT NULL,
	"points_hundredths" bigint DEFAULT 0 NOT NULL,
	"voided_hundredths" bigint DEFAULT 0 NOT NULL,
	"sales" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "statement_totals_node_id_period_grain_k1_k2_pk" PRIMARY KEY("node_id","period","grain","k1","k2")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_sale_id_sales_id_fk";
--> statement-breakpoint
ALTER TABLE "sale_departments" DROP CONSTRAINT "sale_departments_sale_id_sales_id_fk";
--> statement-breakpoint
ALTER TABLE "sale_departments" DROP CONSTRAINT "sale_departments_department_id_departments_id_fk";
--> statement-breakpoint
ALTER TABLE "sale_people" DROP CONSTRAINT "sale_people_sale_id_sales_id_fk";
--> statement-breakpoint
ALTER TABLE "sale_people" DROP CONSTRAINT "sale_people_staff_id_staff_id_fk";
--> statement-breakpoint
ALTER TABLE "sale_people" DROP CONSTRAINT "sale_people_department_id_departments_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_product_id_products_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_person_id_individuals_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_company_id_corporate_clients_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_development_id_developments_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_host_department_id_departments_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" DROP CONSTRAINT "sales_node_id_org_nodes_id_fk";
--> statement-breakpoint
ALTER TABLE "sales" ADD COLUMN "struck_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sales" ADD COLUMN "struck_reason" text;