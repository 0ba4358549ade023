import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two legs over the same suites (ARCHITECTURE.md): embedded PGlite, and the PostgreSQL server.
// Unit tests (pure rule code) run once, in the PGlite leg. Browser tests run in their own leg,
// console component tests (jsdom) in theirs.
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          env: { LINKAGE_TEST_DB: 'pglite' },
          globalSetup: ['server/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['server/**/*.db.test.ts'],
          env: { LINKAGE_TEST_DB: 'pg', TEST_DATABASE_URL: pgUrl },
          globalSetup: ['server/test/global-setup.ts'],
          // A query sent on a busy connection fails the test (pg 9 refuses it).
          setupFiles: ['server/test/serial-queries.setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Console component tests: jsdom, the API mocked at fetch (web/src/test/).
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['web/src/test/setup.ts'],
          testTimeout: 30_000,
        },
        // The contract test parses the fixtures with the server's schemas (web/tsconfig.json's alias).
        resolve: { alias: { '@server': fileURLToPath(new URL('./server', import.meta.url)) } },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
