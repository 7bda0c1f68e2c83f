import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { isLongText, isOneLine } from '../src/shared/validation.js';
import { startTestApp, type TestApp } from './support/app.js';
import { selectionOf } from './support/schema-walk.js';
import { workspaceSnapshot } from './support/snapshot.js';
import { buildWorld, CHANNELS, firstId, idTypeOf, PHASES, SEGMENTS, type World } from './support/world.js';

/**
 * Bad input, fuzzed: every mutation of the schema gets inputs built from its
 * input type, valid-looking values mixed with hostile ones (huge strings,
 * strings just over a maximum, wrong JSON types, unicode, NUL bytes and other
 * control characters, injection text, duplicates, out-of-range numbers and
 * dates). Each answer must be a clear error (a GraphQL error with
 * extensions.code, or userErrors naming a field and a code) or a correct
 * result: never a 500 or a masked "Unexpected error.", a refusal writes
 * nothing, and whatever is stored keeps the string rules.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const DAY = 86_400_000;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const HUGE = 'x'.repeat(100_000);
const hostileStrings = fc.constantFrom(
  HUGE,
  '🚲'.repeat(20_000),
  '',
  '   ',
  'a\u0000b',
  '\u0000',
  'مرحبا بالعالم \u202Eevil\u202C',
  'e\u0301\u200D👨‍👩‍👧‍👦',
  "'; DROP TABLE \"ContentPiece\"; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '%s%s%n',
  '\uD800',
  'x'.repeat(300),
  'WS\r\nBEGIN:VEVENT\r\nSUMMARY:forged\r\nEND:VEVENT',
  'tab\there',
  'bell\u0007',
  'next\u0085line',
  'line\nbreak',
  '%_\\',
  'k'.repeat(64),
  'x'.repeat(2049),
  'x'.repeat(5001),
);
/** JSON values of the wrong type for a string, number or object position. */
const wrongTypes = fc.constantFrom<unknown>(42, -1.5, true, [], {}, ['a'], { $gt: '' });
const hostileInts = fc.constantFrom<unknown>(-1, -2147483649, 2147483648, 2 ** 53, -(2 ** 53), 1.5, 'NaN', '12', '1e999', 0);
const hostileDates = fc.constantFrom<unknown>(
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '+010000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  'not a date',
  '2024-02-30T00:00:00Z',
  '2024-13-01',
  '',
  1e15,
  -1,
  '1970-01-01T00:00:00Z',
);

/** Arbitrary values for one input position: mostly valid-looking for `world`, sometimes hostile. */
function arbitraryFor(type: GraphQLInputType, path: string[], world: World, rootField: string): fc.Arbitrary<unknown> {
  const field = path[path.length - 1] ?? '';
  const required = isNonNullType(type);
  const inner = getNullableType(type) as GraphQLInputType;
  const value = valueArbitrary(inner, path, field, world, rootField);
  // A missing or null value where one is required is hostile too, but rarer.
  return required
    ? fc.oneof({ arbitrary: value, weight: 20 }, { arbitrary: fc.constant(null), weight: 1 })
    : fc.oneof({ arbitrary: value, weight: 3 }, { arbitrary: fc.constant(null), weight: 1 });
}

function valueArbitrary(type: GraphQLInputType, path: string[], field: string, world: World, rootField: string): fc.Arbitrary<unknown> {
  const hostile = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: bad, weight: 1 });
  if (isListType(type)) {
    const item = arbitraryFor(type.ofType, path, world, rootField);
    // Duplicates on purpose: the same key or id twice in one list.
    return hostile(
      fc.oneof(fc.array(item, { minLength: 1, maxLength: 3 }), item.map((v) => [v, v])),
      fc.oneof(fc.constant([]), wrongTypes, fc.array(item, { minLength: 4, maxLength: 12 })),
    );
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) record[f.name] = arbitraryFor(f.type, [...path, f.name], world, rootField);
    const requiredKeys = fields.filter((f) => isNonNullType(f.type)).map((f) => f.name);
    return hostile(fc.record(record, { requiredKeys }), wrongTypes);
  }
  if (isEnumType(type)) {
    const names = type.getValues().map((v) => v.name);
    return hostile(fc.constantFrom(...names), fc.constantFrom<unknown>('NOPE', names[0]!.toLowerCase(), '', 3));
  }
  if (!isScalarType(type)) throw new Error(`no arbitrary for ${path.join('.')}`);
  switch (type.name) {
    case 'ID':
      return hostile(fc.constantFrom(...idsFor(field, path, world, rootField)), fc.oneof(hostileStrings, fc.constantFrom('bm9wZQ==', encodeGlobalID('Workspace', 'x'), encodeGlobalID('Segment', "' OR 1=1"))));
    case 'String':
      return hostile(stringsFor(field), fc.oneof(hostileStrings, wrongTypes));
    case 'Int':
      return hostile(intsFor(field), hostileInts);
    case 'Float':
      return hostile(fc.double({ min: -1e6, max: 1e6, noNaN: true }), hostileInts);
    case 'Boolean':
      return hostile(fc.boolean(), fc.constantFrom<unknown>('yes', 1, 0));
    case 'DateTime':
      return hostile(fc.integer({ min: -400, max: 400 }).map((d) => new Date(Date.now() + d * DAY).toISOString()), hostileDates);
    case 'Locale':
      return hostile(fc.constantFrom('nl-NL', 'en', 'de-DE', 'fr-BE'), fc.oneof(hostileStrings, fc.constantFrom('xx_YY', 'nl-NL-x-ß', '../..', 'en-'.repeat(50))));
    case 'URL':
      return hostile(fc.constantFrom('https://example.com/a', 'http://example.com/b?x=1'), fc.oneof(hostileStrings, fc.constantFrom('javascript:alert(1)', 'ftp://x', 'https://', `https://example.com/${HUGE}`)));
    default:
      throw new Error(`no arbitrary for scalar ${type.name} at ${path.join('.')}`);
  }
}

function idsFor(field: string, path: string[], world: World, rootField: string): string[] {
  const global = (type: string) => (world.ids[type] ?? []).map((id) => encodeGlobalID(type, id));
  const named: Record<string, string> = { touchpoints: 'Touchpoint', sync: 'ContentSync', deliveryId: 'WebhookDelivery', scenario: 'Scenario', piece: 'ContentPiece', pieceId: 'ContentPiece', touchpointId: 'Touchpoint' };
  const type = named[field] ?? (field === 'id' && path.length === 2 ? idTypeOf(rootField) : null);
  if (!type) throw new Error(`no ids known for ${path.join('.')}`);
  // Ids of the right type, and one of the wrong type.
  return [...global(type), encodeGlobalID('Channel', firstId(world, 'Channel'))];
}

function stringsFor(field: string): fc.Arbitrary<string> {
  const newKey = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
  switch (field) {
    case 'journey':
      return fc.constantFrom('shop', 'nope');
    case 'segment':
    case 'parent':
    case 'segments':
      return fc.constantFrom(...SEGMENTS, 'nope');
    case 'channel':
    case 'channels':
      return fc.constantFrom(...CHANNELS, 'nope');
    case 'phase':
    case 'phases':
      return fc.constantFrom(...PHASES, 'nope');
    case 'key':
      return fc.oneof(newKey, fc.constantFrom('shop', 'families', 'email', 'attention', 'Bad Key!'));
    case 'externalId':
      return fc.oneof(fc.constantFrom('ext-1', 'ext-2', 'ext-9'), fc.string({ maxLength: 30 }));
    case 'template':
      return fc.constantFrom('five-a', 'nope');
    default:
      return fc.string({ maxLength: 40, unit: 'binary' });
  }
}

function intsFor(field: string): fc.Arbitrary<number> {
  switch (field) {
    case 'priority':
      return fc.integer({ min: -5, max: 105 });
    case 'emotion':
      return fc.integer({ min: -4, max: 4 });
    case 'position':
      return fc.integer({ min: -1, max: 5 });
    default:
      return fc.integer({ min: -2, max: 400 });
  }
}

interface Answer {
  status: number;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
}

/** Sends the request with raw JSON, so wrong types reach the server as a client would send them. */
async function send(key: string, query: string, variables: unknown): Promise<Answer> {
  const response = await rawFetch(key, JSON.stringify({ query, variables }));
  const text = await response.text();
  let body: Answer['body'] = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (e.g. a plain-text 413): judged on the status alone.
  }
  return { status: response.status, body };
}

let rawFetch: (key: string, body: string) => Promise<Response>;

/** Whether an answer is a clear refusal, a correct result, or neither; and whether it refused. */
function judge(field: string, answer: Answer): { refused: boolean } {
  expect(answer.status, JSON.stringify(answer.body)?.slice(0, 500)).toBeLessThan(500);
  const errors = answer.body?.errors ?? [];
  for (const e of errors) {
    expect(e.message).not.toMatch(/Unexpected error/i);
    expect(e.extensions?.code, e.message.slice(0, 300)).toEqual(expect.any(String));
  }
  if (answer.status >= 400 || errors.length > 0) return { refused: true };
  const payload = answer.body?.data?.[field];
  expect(payload, JSON.stringify(answer.body).slice(0, 500)).toBeTruthy();
  const userErrors = (payload.userErrors ?? []) as { field: string[]; code: string; message: string }[];
  for (const e of userErrors) {
    expect(e.field[0]).toBe('input');
    expect(e.code).toEqual(expect.any(String));
    expect(e.message.length).toBeGreaterThan(0);
  }
  if (userErrors.length > 0) return { refused: true };
  // Success: the payload carries what it made or changed.
  const result = Object.entries(payload).filter(([name]) => name !== 'userErrors' && name !== '__typename');
  expect(result.some(([, v]) => v !== null && v !== undefined), JSON.stringify(payload).slice(0, 500)).toBe(true);
  return { refused: false };
}

const mutations = Object.values(schema.getMutationType()!.getFields());

/** The README's "String inputs" maxima, by the column they are stored in. */
const MAX_BY_COLUMN: Record<string, number> = { name: 200, title: 200, externalId: 200, device: 100, url: 2048, key: 63, description: 5000, summary: 5000, notes: 5000 };
const LONG_TEXT_COLUMNS = new Set(['description', 'summary', 'notes']);

/** Stored texts that break the string rules: too long, or holding a control character they may not. */
function stringRuleBreaches(snapshot: Record<string, unknown[]>): string[] {
  const breaches: string[] = [];
  for (const [table, rows] of Object.entries(snapshot)) {
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue;
        const allowed = LONG_TEXT_COLUMNS.has(column) ? isLongText(value) : isOneLine(value);
        if (!allowed || value.length > (MAX_BY_COLUMN[column] ?? Infinity)) breaches.push(`${table}.${column}: ${JSON.stringify(value.slice(0, 60))} (${value.length})`);
      }
    }
  }
  return breaches;
}

function documentOf(field: GraphQLField<unknown, unknown>): string {
  const arg = field.args[0]!;
  const selection = selectionOf(schema, field.type, { depth: 1, nestedArgs: () => null });
  return `mutation ($input: ${String(arg.type)}) { ${field.name}(input: $input) { ${selection} } }`;
}

describe('every mutation survives hostile input', () => {
  beforeAll(async () => {
    const { createServer } = await import('../src/server.js');
    const yoga = createServer({ database: app.database, mode: 'production' });
    rawFetch = async (key, body) => yoga.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
  });

  it('each mutation takes one `input` argument, so the generator covers it', () => {
    expect(mutations.filter((m) => m.args.length !== 1 || m.args[0]!.name !== 'input').map((m) => m.name)).toEqual([]);
  });

  for (const [n, field] of mutations.entries()) {
    it(`${field.name}: a clear error or a correct result, nothing written when refused, and stored text within the string rules`, async () => {
      const world = await buildWorld(app, `FUZZ${n}`);
      const query = documentOf(field);
      const input = arbitraryFor(field.args[0]!.type, ['input'], world, field.name);
      let refusals = 0;
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const before = await workspaceSnapshot(app.database.prisma, world.keys.workspaceId);
          const answer = await send(world.keys.ADMIN, query, { input: value });
          const { refused } = judge(field.name, answer);
          const after = await workspaceSnapshot(app.database.prisma, world.keys.workspaceId);
          if (refused) {
            refusals++;
            expect(after).toEqual(before);
          }
          expect(stringRuleBreaches(after)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      if (process.env.FUZZ_STATS) console.log(field.name, `refused ${refusals} of ${RUNS}`);
      expect(refusals).toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('hostile values found by the fuzzer, kept as examples', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(app, 'EXAMPLES');
  });
  const gql = (query: string, variables: Record<string, unknown>) => app.gql(world.keys.ADMIN, query, variables);

  it('a segment cannot move under its own descendant: INVALID on parent, and the tree is unchanged', async () => {
    const families = await app.database.prisma.segment.findFirstOrThrow({ where: { workspaceId: world.keys.workspaceId, key: 'families' } });
    const before = await workspaceSnapshot(app.database.prisma, world.keys.workspaceId);
    const res = await gql(`mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { id } userErrors { field code } } }`, {
      input: { id: encodeGlobalID('Segment', families.id), parent: 'young-families' },
    });
    expect(res.data?.updateSegment.userErrors).toEqual([{ field: ['input', 'parent'], code: 'INVALID' }]);
    const self = await gql(`mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { userErrors { field code } } }`, {
      input: { id: encodeGlobalID('Segment', families.id), parent: 'families' },
    });
    expect(self.data?.updateSegment.userErrors).toEqual([{ field: ['input', 'parent'], code: 'INVALID' }]);
    expect(await workspaceSnapshot(app.database.prisma, world.keys.workspaceId)).toEqual(before);
  });

  it('a name with a NUL character is INVALID on that field, on both databases (PostgreSQL cannot store it)', async () => {
    const before = await workspaceSnapshot(app.database.prisma, world.keys.workspaceId);
    const res = await gql(`mutation ($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } userErrors { field code } } }`, {
      input: { key: 'nul', name: 'a\u0000b', kind: 'ADS' },
    });
    expect(res.data?.createChannel.userErrors).toEqual([{ field: ['input', 'name'], code: 'INVALID' }]);
    expect(await workspaceSnapshot(app.database.prisma, world.keys.workspaceId)).toEqual(before);
  });

  it('a key with a NUL character in a lookup is a userError, not a database error', async () => {
    const res = await gql(`mutation ($input: CreatePhaseInput!) { createPhase(input: $input) { phase { id } userErrors { field code } } }`, {
      input: { journey: 'a\u0000b', key: 'new-phase', name: 'New', archetype: 'ADVOCACY' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createPhase.userErrors).toEqual([expect.objectContaining({ code: expect.stringMatching(/^(INVALID|NOT_FOUND)$/) })]);
  });
});
