import { databaseConfig, type DatabaseConfig } from './db/config.js';

/** Settings, all from environment variables (documented in the README). */
export interface AppConfig {
  port: number;
  host: string;
  /** development: GraphiQL, introspection and detailed errors; production: none of them. */
  mode: 'development' | 'production';
  database: DatabaseConfig;
  /** Load the demo workspace into an empty database on start. */
  demoData: boolean;
  /** Seconds a valid API key is remembered between lookups. */
  keyCacheSeconds: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const mode = env.NODE_ENV === 'production' ? 'production' : 'development';
  return {
    port: integer(env.PORT, 4000, 'PORT'),
    host: env.HOST || '0.0.0.0',
    mode,
    database: databaseConfig(env.DATABASE_URL),
    demoData: flag(env.DEMO_DATA, mode === 'development', 'DEMO_DATA'),
    keyCacheSeconds: integer(env.API_KEY_CACHE_SECONDS, 10, 'API_KEY_CACHE_SECONDS'),
  };
}

function integer(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number; got "${raw}"`);
  return value;
}

function flag(raw: string | undefined, fallback: boolean, name: string): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false; got "${raw}"`);
}
