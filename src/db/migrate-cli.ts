// npm run migrate: applies pending migrations to DATABASE_URL's database.
import { databaseConfig, redact } from './config.js';
import { applyMigrations } from './migrations.js';

const config = databaseConfig();
const applied = await applyMigrations(config);
console.log(applied.length ? `Applied to ${redact(config.url)}: ${applied.join(', ')}` : `${redact(config.url)} is up to date.`);
