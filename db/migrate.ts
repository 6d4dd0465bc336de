// Applies migrations without starting the bot (npm run db:migrate). copro also does this on start.
import { loadConfig } from '../src/config.js';
import { openDb } from './client.js';

const config = loadConfig();
const opened = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await opened.close();
console.log(
  `Migrations applied to the ${opened.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'Postgres server'}.`,
);
