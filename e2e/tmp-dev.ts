// Scratch dev server (to be deleted): the app without imports, on port 3000.
import { buildApp } from './tmp-app.js';
import { loadConfig } from '../server/config.js';
import { migrateDatabase, openDatabase } from '../server/db/client.js';
import { seedDemoBank } from '../server/db/seed/demo-bank.js';
const database = await openDatabase({ dataDir: 'memory://' });
await migrateDatabase(database);
await seedDemoBank(database.db);
const app = await buildApp(database, loadConfig({ LOG_LEVEL: 'warn', WEB_DIST: 'web/dist', PORT: '3000' }));
console.log(await app.listen({ port: 3000, host: '127.0.0.1' }));
