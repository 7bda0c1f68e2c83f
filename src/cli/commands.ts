import { parseArgs } from 'node:util';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { createApiKey } from '../auth/keys.js';
import type { Db } from '../db/client.js';
import type { Provider } from '../db/config.js';
import { recordWrite } from '../db/versions.js';
import type { Role } from '../generated/sqlite/enums.js';
import { nameSchema } from '../shared/validation.js';

/**
 * The command line's commands: setting up workspaces and their keys, the
 * one thing the API cannot do for itself (creating a workspace needs a key
 * the workspace does not have yet). Ids are printed as the API's global IDs
 * and accepted in either that form or as plain database ids.
 */

export const USAGE = `Usage: content-planning <command> [options]

Commands:
  workspace create --name <name>     Create a workspace and its first ADMIN key
  workspace list                     List the workspaces
  key create --workspace <id> --role ADMIN|EDITOR|DELIVERY --name <name>
                                     Create an API key (its secret is shown once)
  key list --workspace <id>          List a workspace's keys, revoked ones included
  key revoke --id <keyId>            Revoke a key: its next request is refused

Options:
  --json                             Print JSON instead of text
  -h, --help                         Show this help

The database comes from DATABASE_URL (file:<path> for SQLite, postgresql://... for
PostgreSQL; default file:data/content-planning.db). Pending migrations are applied first.
`;

/** Wrong use of the command line: exit code 2. */
export class UsageError extends Error {}

/** The command was understood but could not be done: exit code 1. */
export class CommandError extends Error {}

export interface Command {
  name: string;
  json: boolean;
  run(db: Db, provider: Provider): Promise<string>;
}

const ROLES: Role[] = ['ADMIN', 'EDITOR', 'DELIVERY'];

const OPTIONS = {
  name: { type: 'string' },
  workspace: { type: 'string' },
  role: { type: 'string' },
  id: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = { name?: string; workspace?: string; role?: string; id?: string; json?: boolean };

/** The command `argv` asks for, or null when it asks for help. Throws UsageError. */
export function parseCommand(argv: string[]): Command | null {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return null;
  const name = positionals.join(' ');
  const spec = COMMANDS[name];
  if (!spec) throw new UsageError(`Unknown command "${name}".`);
  const given = Object.keys(values).filter((option) => option !== 'json');
  const extra = given.find((option) => !spec.options.includes(option));
  if (extra) throw new UsageError(`"${name}" does not take --${extra}.`);
  const missing = spec.options.find((option) => !values[option as keyof Values]?.toString().trim());
  if (missing) throw new UsageError(`"${name}" needs --${missing}.`);
  if (values.role !== undefined && !ROLES.includes(values.role.toUpperCase() as Role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}; got "${values.role}".`);
  }
  const json = values.json ?? false;
  const checked: Values = { ...values, ...(values.name === undefined ? {} : { name: checkedName(values.name) }) };
  return { name, json, run: (db, provider) => spec.run(db, checked, json, provider) };
}

/** A --name follows the API's rules for names (trimmed, one line, at most 200 characters). */
function checkedName(given: string): string {
  const result = nameSchema.safeParse(given);
  if (!result.success) throw new UsageError(`--name ${result.error.issues[0]!.message}.`);
  return result.data;
}

interface CommandSpec {
  /** Required options; --json is always allowed. */
  options: string[];
  run(db: Db, values: Values, json: boolean, provider: Provider): Promise<string>;
}

const COMMANDS: Record<string, CommandSpec> = {
  'workspace create': {
    options: ['name'],
    async run(db, { name }, json) {
      const { workspace, key } = await db.$transaction(async (tx) => {
        const workspace = await tx.workspace.create({ data: { name: name! } });
        return { workspace, key: await createApiKey(tx, workspace.id, 'Admin', 'ADMIN') };
      });
      const out = { workspaceId: encodeGlobalID('Workspace', workspace.id), name: workspace.name, keyId: encodeGlobalID('ApiKey', key.id), role: key.role, secret: key.secret };
      if (json) return JSON.stringify(out);
      return [
        `Created workspace "${out.name}" (id ${out.workspaceId}).`,
        `Its first ADMIN key (id ${out.keyId}):`,
        '',
        `  ${out.secret}`,
        '',
        'Store the key now: it is shown only this once. Send it as "Authorization: Bearer <key>".',
      ].join('\n');
    },
  },
  'workspace list': {
    options: [],
    async run(db, _values, json) {
      const workspaces = await db.workspace.findMany({
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: { _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
      });
      const rows = workspaces.map((w) => ({
        workspaceId: encodeGlobalID('Workspace', w.id),
        name: w.name,
        createdAt: w.createdAt.toISOString(),
        activeKeys: w._count.apiKeys,
      }));
      if (json) return JSON.stringify(rows);
      if (rows.length === 0) return 'No workspaces yet. Create one with: content-planning workspace create --name <name>';
      return table(['ID', 'NAME', 'ACTIVE KEYS', 'CREATED'], rows.map((r) => [r.workspaceId, r.name, String(r.activeKeys), r.createdAt]));
    },
  },
  'key create': {
    options: ['workspace', 'role', 'name'],
    async run(db, values, json, provider) {
      const role = values.role!.toUpperCase() as Role;
      const workspace = await findWorkspace(db, values.workspace!);
      const key = await db.$transaction(async (tx) => {
        const made = await createApiKey(tx, workspace.id, values.name!, role);
        await recordWrite(tx, provider, workspace.id, null);
        return made;
      });
      const out = {
        keyId: encodeGlobalID('ApiKey', key.id),
        workspaceId: encodeGlobalID('Workspace', workspace.id),
        role: key.role,
        name: key.name,
        prefix: key.prefix,
        secret: key.secret,
      };
      if (json) return JSON.stringify(out);
      return [
        `Created ${out.role} key "${out.name}" (id ${out.keyId}) for workspace "${workspace.name}":`,
        '',
        `  ${out.secret}`,
        '',
        'Store the key now: it is shown only this once.',
      ].join('\n');
    },
  },
  'key list': {
    options: ['workspace'],
    async run(db, values, json) {
      const workspace = await findWorkspace(db, values.workspace!);
      const keys = await db.apiKey.findMany({ where: { workspaceId: workspace.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const rows = keys.map((k) => keyJson(k));
      if (json) return JSON.stringify(rows);
      return table(
        ['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'REVOKED'],
        rows.map((r) => [r.keyId, r.name, r.role, r.prefix, r.createdAt, r.revokedAt ?? '-']),
      );
    },
  },
  'key revoke': {
    options: ['id'],
    async run(db, values, json, provider) {
      const id = databaseId(values.id!, 'ApiKey');
      const key = await db.apiKey.findUnique({ where: { id } });
      if (!key) throw new CommandError(`No API key with id "${values.id}".`);
      if (key.revokedAt) throw new CommandError(`API key "${key.name}" (id ${values.id}) was already revoked at ${key.revokedAt.toISOString()}.`);
      // Recorded with the write: running servers notice it and stop accepting the key at once.
      const revoked = await db.$transaction(async (tx) => {
        const done = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
        await recordWrite(tx, provider, done.workspaceId, null);
        return done;
      });
      const out = keyJson(revoked);
      if (json) return JSON.stringify(out);
      return `Revoked ${out.role} key "${out.name}" (id ${out.keyId}); servers on this database refuse it ${provider === 'postgresql' ? 'within a second' : 'from their next request'}.`;
    },
  },
};

function keyJson(key: { id: string; workspaceId: string; name: string; role: Role; prefix: string; createdAt: Date; revokedAt: Date | null }) {
  return {
    keyId: encodeGlobalID('ApiKey', key.id),
    workspaceId: encodeGlobalID('Workspace', key.workspaceId),
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

async function findWorkspace(db: Db, given: string) {
  const workspace = await db.workspace.findUnique({ where: { id: databaseId(given, 'Workspace') } });
  if (!workspace) throw new CommandError(`No workspace with id "${given}". List them with: content-planning workspace list`);
  return workspace;
}

/** The database id behind `given`, which may be a global ID of `typename` or the database id itself. */
function databaseId(given: string, typename: string): string {
  try {
    const decoded = decodeGlobalID(given.trim());
    if (decoded.typename === typename && decoded.id) return decoded.id;
  } catch {
    // not a global ID: take it as a database id
  }
  return given.trim();
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
