import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

/**
 * Prisma's schema engine, compiled to WebAssembly and shipped on npm: it
 * diffs and applies migrations without the native binary Prisma's CLI would
 * download. We instantiate the .wasm ourselves because Node 20 cannot import
 * it as a module without an experimental flag.
 */
export async function withSchemaEngine<T>(
  datamodel: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const connections: SqlDriverAdapter[] = [];
  const factory = tracked(withScriptSupport(adapterFactory), connections);
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', datamodel]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await work(engine);
  } finally {
    engine.free();
    // The engine does not close what it opened; an open SQLite handle would
    // lock the file for the next writer.
    await Promise.all(connections.map((c) => c.dispose()));
  }
}

function tracked(factory: SqlMigrationAwareDriverAdapterFactory, into: SqlDriverAdapter[]): SqlMigrationAwareDriverAdapterFactory {
  const keep = (adapter: SqlDriverAdapter) => (into.push(adapter), adapter);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => keep(await factory.connect()),
    connectToShadowDb: async () => keep(await factory.connectToShadowDb()),
  };
}

let loaded: Promise<typeof glue> | undefined;

function loadWasm(): Promise<typeof glue> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = readFileSync(join(pkgDir, 'schema_engine_bg.wasm'));
    const imports = { './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    // The glue's setter is not in its type declarations.
    (glue as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loaded;
}

/**
 * The engine replays whole migration files through `executeRaw` on the
 * shadow database; better-sqlite3 prepares one statement at a time and
 * refuses them. Such parameterless multi-statement scripts go through the
 * adapter's `executeScript` instead.
 */
function withScriptSupport(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (factory.provider !== 'sqlite') return factory;
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop, receiver) {
        if (prop !== 'executeRaw') return Reflect.get(target, prop, receiver);
        return async (query: SqlQuery) => {
          if (query.args.length === 0 && hasSeveralStatements(query.sql)) {
            await target.executeScript(query.sql);
            return 0;
          }
          return target.executeRaw(query);
        };
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

function hasSeveralStatements(sql: string): boolean {
  return sql.trim().replace(/;\s*$/, '').includes(';');
}
