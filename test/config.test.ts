import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

/** Settings from the environment: defaults per mode, and clear refusals of bad values. */
describe('settings', () => {
  it('listens on loopback in development (its demo keys are public) and on every interface in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'development', HOST: '' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'development', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('PUBLIC_URL is an http(s) address, kept without a trailing slash; unset, answers use the request\'s own', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://api.example.com' }).publicUrl).toBe('https://api.example.com');
    expect(loadConfig({ PUBLIC_URL: 'https://api.example.com/' }).publicUrl).toBe('https://api.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://example.com:8080/planning/' }).publicUrl).toBe('http://example.com:8080/planning');
    for (const bad of ['api.example.com', 'ftp://example.com', 'https://example.com/?a=1', 'https://example.com/#x', 'https://user:pw@example.com', 'not a url']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('METRICS_TOKEN unset means no /metrics; set, it must be long and printable', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16) }).metricsToken).toBe('a'.repeat(16));
    for (const bad of ['short', 'fifteen-chars-x', 'sixteen chars ab', `${'a'.repeat(16)}\u00e9`]) expect(() => loadConfig({ METRICS_TOKEN: bad }), bad).toThrow(/METRICS_TOKEN/);
  });

  it('INTERACTION_RETENTION_DAYS is 90 by default, a whole number of days from 1 to 3650', () => {
    expect(loadConfig({}).interactionRetentionDays).toBe(90);
    expect(loadConfig({ INTERACTION_RETENTION_DAYS: '30' }).interactionRetentionDays).toBe(30);
    for (const bad of ['0', '3651', 'soon', '1.5']) expect(() => loadConfig({ INTERACTION_RETENTION_DAYS: bad }), bad).toThrow(/INTERACTION_RETENTION_DAYS/);
  });

  it('LOG_LEVEL is one of pino\'s levels, info by default', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
  });

  it('webhook settings: the key is 32+ characters (none: no endpoints), https only in production, private targets off, dispatching on, the specification\'s retry schedule', () => {
    const defaults = loadConfig({});
    expect(defaults.webhooks.key).toBeNull();
    expect(defaults.webhooks.policy).toEqual({ httpsOnly: false, allowPrivate: false });
    expect(loadConfig({ NODE_ENV: 'production' }).webhooks.policy.httpsOnly).toBe(true);
    expect(defaults.webhookDispatch).toBe(true);
    expect(loadConfig({ WEBHOOK_DISPATCH: 'false' }).webhookDispatch).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.policy.allowPrivate).toBe(true);
    expect(defaults.webhooks.retrySchedule).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '100ms, 1.5s,2m' }).webhooks.retrySchedule).toEqual([100, 1500, 120_000]);
    const key = loadConfig({ WEBHOOK_SECRET_KEY: 'k'.repeat(32) }).webhooks.key;
    expect(key?.length).toBe(32);
    expect(loadConfig({ WEBHOOK_SECRET_KEY: 'l'.repeat(32) }).webhooks.key).not.toEqual(key);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/WEBHOOK_SECRET_KEY must be at least 32 characters/);
    for (const bad of ['5', '5 minutes', '5s,,5m', '-5s']) expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: bad }), bad).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_DISPATCH: 'maybe' })).toThrow(/WEBHOOK_DISPATCH/);
  });

  it('RATE_LIMIT_STORE is memory by default, or postgres on a PostgreSQL database', () => {
    expect(loadConfig({}).rateLimitStore).toBe('memory');
    expect(loadConfig({ RATE_LIMIT_STORE: 'postgres', DATABASE_URL: 'postgresql://u@localhost/db' }).rateLimitStore).toBe('postgres');
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'postgres' })).toThrow(/needs a PostgreSQL DATABASE_URL/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE must be memory or postgres/);
  });

  it('DATABASE_PREPARED_STATEMENTS is true by default; false sends every statement unnamed', () => {
    expect(loadConfig({}).database.preparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).database.preparedStatements).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' })).toThrow(/DATABASE_PREPARED_STATEMENTS must be true or false/);
  });

  it('DATABASE_REPLICA_URLS are PostgreSQL replicas of a PostgreSQL database, with REPLICA_ settings defaulted and checked', () => {
    const pg = 'postgresql://u@primary/db';
    expect(loadConfig({ DATABASE_URL: pg }).database.replicas).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: pg, DATABASE_REPLICA_URLS: ' postgresql://u@r1/db, postgres://u@r2/db ,' }).database.replicas).toEqual({
      urls: ['postgresql://u@r1/db', 'postgres://u@r2/db'],
      maxLagMs: 5000,
      readYourWritesMs: 5000,
      checkIntervalMs: 1000,
    });
    expect(loadConfig({ DATABASE_URL: pg, DATABASE_REPLICA_URLS: 'postgresql://u@r1/db', REPLICA_MAX_LAG_MS: '2000', REPLICA_READ_YOUR_WRITES_MS: '0', REPLICA_CHECK_INTERVAL_MS: '250' }).database.replicas).toMatchObject({
      maxLagMs: 2000,
      readYourWritesMs: 0,
      checkIntervalMs: 250,
    });
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://u@r1/db' })).toThrow(/DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: pg, DATABASE_REPLICA_URLS: 'mysql://u:secret@r1/db' })).toThrow(/postgresql:\/\/ URLs; got "mysql:\/\/u:\*\*\*@r1\/db"/);
    for (const [name, bad] of [['REPLICA_MAX_LAG_MS', '0'], ['REPLICA_MAX_LAG_MS', 'soon'], ['REPLICA_READ_YOUR_WRITES_MS', '-1'], ['REPLICA_CHECK_INTERVAL_MS', '0']] as const) {
      expect(() => loadConfig({ DATABASE_URL: pg, DATABASE_REPLICA_URLS: 'postgresql://u@r1/db', [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(name));
    }
  });

  it('WORKERS is 1 by default, a count, or auto for one per core', async () => {
    const { availableParallelism } = await import('node:os');
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }).workers).toBe(availableParallelism());
    for (const bad of ['0', '-1', 'many', '1.5']) expect(() => loadConfig({ WORKERS: bad }), bad).toThrow(/WORKERS/);
  });
});
