import { defineConfig } from 'drizzle-kit';

// Migrations are generated from server/db/schema and committed; never edit one once merged.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './server/db/migrations',
});
