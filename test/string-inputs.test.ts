import { encodeGlobalID } from '@pothos/plugin-relay';
import { getNullableType, isInputObjectType, isListType, isScalarType, type GraphQLInputType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema.js';
import { isLongText, isOneLine } from '../src/shared/validation.js';
import { startTestApp, type TestApp } from './support/app.js';
import { workspaceSnapshot } from './support/snapshot.js';
import { buildWorld, type World } from './support/world.js';

/**
 * The string rules of the README's "String inputs" table, on every String
 * and ID field of every mutation input, found by walking the schema: one
 * character over the maximum is a userError INVALID on exactly that field
 * and writes nothing; a value at the maximum is not refused for its length.
 * One-line fields refuse every control character; long texts take tabs and
 * line breaks and refuse the other control characters.
 */
type Kind = 'line' | 'long' | 'key' | 'url';
const RULES: Record<string, { max: number; kind: Kind }> = {
  name: { max: 200, kind: 'line' },
  title: { max: 200, kind: 'line' },
  externalId: { max: 200, kind: 'line' },
  externalIds: { max: 200, kind: 'line' },
  device: { max: 100, kind: 'line' },
  source: { max: 100, kind: 'line' },
  description: { max: 5000, kind: 'long' },
  summary: { max: 5000, kind: 'long' },
  notes: { max: 5000, kind: 'long' },
  url: { max: 2048, kind: 'url' },
  key: { max: 63, kind: 'key' },
  // References by key.
  journey: { max: 63, kind: 'line' },
  phase: { max: 63, kind: 'line' },
  phases: { max: 63, kind: 'line' },
  segment: { max: 63, kind: 'line' },
  segments: { max: 63, kind: 'line' },
  parent: { max: 63, kind: 'line' },
  channel: { max: 63, kind: 'line' },
  channels: { max: 63, kind: 'line' },
  template: { max: 63, kind: 'line' },
};
const ID_RULE = { max: 100, kind: 'line' as Kind };

const CONTROLS = ['\n', '\r', '\t', '\u0000', '\u0007', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f'];
const LONG_TEXT_CONTROLS = CONTROLS.filter((c) => !'\t\n\r'.includes(c));

/** A valid input for each mutation, holding every String and ID field it has; `u` makes new keys unique. */
function baseInputs(w: World, u: number): Record<string, Record<string, unknown>> {
  const id = (type: string, n = 0) => encodeGlobalID(type, w.ids[type]![n]!);
  const phase = { journey: 'shop', phase: 'attention' };
  const piece = { title: 'T', summary: 'S', url: 'https://example.com/a', phases: [phase], channels: ['email'], segments: ['families'], touchpoints: [id('Touchpoint')] };
  const families = w.ids.Segment![0]!;
  return {
    updateWorkspace: { name: 'W' },
    createApiKey: { name: 'K', role: 'DELIVERY' },
    revokeApiKey: { id: id('ApiKey') },
    createCalendarToken: { name: 'C' },
    revokeCalendarToken: { id: id('CalendarToken') },
    createReportToken: { name: 'R' },
    revokeReportToken: { id: id('ReportToken') },
    createJourney: { key: `new-journey-${u}`, name: 'J', description: 'D', phases: [{ key: 'p1', name: 'P', description: 'D', archetype: 'AWARENESS' }] },
    updateJourney: { id: id('JourneyModel'), key: 'shop', name: 'J', description: 'D' },
    deleteJourney: { id: id('JourneyModel') },
    applyJourneyTemplate: { template: 'five-a', language: 'EN', key: `from-template-${u}`, name: 'T' },
    createPhase: { journey: 'shop', key: `new-phase-${u}`, name: 'P', description: 'D', archetype: 'ADVOCACY' },
    updatePhase: { id: id('Phase'), key: 'attention', name: 'P', description: 'D' },
    deletePhase: { id: id('Phase') },
    reorderPhases: { journey: 'shop', phases: ['attention', 'purchase', 'loyalty'] },
    createSegment: { key: `new-segment-${u}`, name: 'S', description: 'D', market: 'B2C', journey: 'shop', parent: 'families' },
    updateSegment: { id: encodeGlobalID('Segment', w.ids.Segment!.find((s) => s !== families)!), name: 'S', description: 'D', journey: 'shop', parent: 'families', key: 'renamed' },
    deleteSegment: { id: id('Segment') },
    createChannel: { key: `new-channel-${u}`, name: 'C', kind: 'ADS' },
    updateChannel: { id: id('Channel'), key: 'email', name: 'C' },
    deleteChannel: { id: id('Channel') },
    createTouchpoint: { name: 'T', device: 'phone', notes: 'N', phase, channel: 'email', segment: 'families' },
    updateTouchpoint: { id: id('Touchpoint'), name: 'T', device: 'phone', notes: 'N', phase, channel: 'email', segment: 'families' },
    deleteTouchpoint: { id: id('Touchpoint') },
    createCoverageRule: { segment: 'students', phase: { journey: 'shop', phase: 'purchase' }, channel: 'social', minLive: 1 },
    updateCoverageRule: { id: id('CoverageRule'), minLive: 3 },
    deleteCoverageRule: { id: id('CoverageRule') },
    createContentPiece: { ...piece, format: 'ARTICLE', locale: 'en', externalId: `new-piece-${u}` },
    updateContentPiece: { ...piece, id: id('ContentPiece'), externalId: 'renamed-piece' },
    setContentStatus: { id: id('ContentPiece'), status: 'ARCHIVED' },
    deleteContentPiece: { id: id('ContentPiece') },
    deleteContent: { externalIds: ['ext-0'] },
    archiveContent: { externalIds: ['ext-0'] },
    importContent: { pieces: [{ ...piece, externalId: `imported-${u}`, format: 'ARTICLE', status: 'IDEA', locale: 'en' }], sync: undefined },
    startContentSync: { source: `cms-${u}` },
    completeContentSync: { id: encodeGlobalID('ContentSync', 'unknown') },
    createWebhookEndpoint: { url: 'https://93.184.215.14/hooks', description: 'D', eventTypes: ['CONTENT_CREATED'] },
    updateWebhookEndpoint: { id: id('WebhookEndpoint'), url: 'https://93.184.215.14/hooks', description: 'D' },
    rotateWebhookEndpointSecret: { id: id('WebhookEndpoint') },
    deleteWebhookEndpoint: { id: id('WebhookEndpoint') },
    redeliverWebhook: { deliveryId: id('WebhookDelivery') },
    createScenario: { name: `scenario ${u}`, description: 'D' },
    addScenarioPiece: { scenario: id('Scenario'), title: 'T', summary: 'S', format: 'ARTICLE', locale: 'en', phases: [phase], channels: ['email'], segments: ['families'], touchpoints: [id('Touchpoint')] },
    addScenarioChange: { scenario: id('Scenario'), piece: id('ContentPiece', 1), kind: 'ARCHIVE' },
    removeScenarioPiece: { id: id('ScenarioPiece') },
    removeScenarioChange: { id: id('ScenarioChange') },
    deleteScenario: { id: id('Scenario') },
    applyScenario: { id: id('Scenario') },
  };
}

interface Leaf {
  path: string[];
  max: number;
  kind: Kind;
}

/** Every String and ID position of an input type, list items as index 0. */
function stringLeaves(type: GraphQLInputType, path: string[]): Leaf[] {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return stringLeaves(inner.ofType, [...path, '0']);
  if (isInputObjectType(inner)) return Object.values(inner.getFields()).flatMap((f) => stringLeaves(f.type, [...path, f.name]));
  if (!isScalarType(inner) || (inner.name !== 'String' && inner.name !== 'ID')) return [];
  const name = path.filter((p) => !/^\d+$/.test(p)).at(-1)!;
  const rule = inner.name === 'ID' ? ID_RULE : RULES[name];
  if (!rule) throw new Error(`no documented maximum for ${path.join('.')}: add it to the README's "String inputs" and here`);
  return [{ path, ...rule }];
}

/** A value of exactly `length` characters of this kind, valid apart from its length. */
function ofLength(kind: Kind, length: number): string {
  if (kind === 'url') return `https://example.com/${'a'.repeat(length - 20)}`;
  if (kind === 'key') return 'k'.repeat(length);
  return 'x'.repeat(length);
}

function withControl(kind: Kind, control: string): string {
  if (kind === 'url') return `https://example.com/a${control}b`;
  return `a${control}b`;
}

function setAt(input: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(input);
  let node: Record<string, unknown> = copy;
  for (const step of path.slice(1, -1)) {
    if (node[step] === undefined) throw new Error(`the base input lacks ${path.join('.')}`);
    node = node[step] as Record<string, unknown>;
  }
  if (!(path.at(-1)! in node)) throw new Error(`the base input lacks ${path.join('.')}`);
  node[path.at(-1)!] = value;
  return copy;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('the character rules', () => {
  it('one-line texts refuse every C0 control, DEL and every C1 control, and nothing else', () => {
    for (let code = 0; code <= 0xff; code++) {
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
      expect(isOneLine(`a${String.fromCharCode(code)}b`), `U+${code.toString(16)}`).toBe(!control);
    }
    expect(isOneLine('Fiets 🚲 — ĳs, 中文, e\u0301')).toBe(true);
  });

  it('long texts also take tab, line feed and carriage return', () => {
    for (let code = 0; code <= 0xff; code++) {
      const control = (code < 0x20 && ![0x09, 0x0a, 0x0d].includes(code)) || (code >= 0x7f && code <= 0x9f);
      expect(isLongText(`a${String.fromCharCode(code)}b`), `U+${code.toString(16)}`).toBe(!control);
    }
  });
});

const mutations = Object.values(schema.getMutationType()!.getFields());

describe('every string field of every mutation input', () => {
  // recordInteractions refuses bad events one by one (refused, not userErrors): its string rules are tested in interactions.test.ts.
  for (const [n, mutation] of mutations.entries()) {
    if (mutation.name === 'recordInteractions') continue;
    it(`${mutation.name}: over its maximum or with a control character is INVALID on the field, and nothing is written`, async () => {
      const world = await buildWorld(app, `STR${n}`);
      let u = 0;
      const base = () => baseInputs(world, u++)[mutation.name] ?? expect.fail(`no base input for ${mutation.name}`);
      const arg = mutation.args[0]!;
      const query = `mutation ($input: ${String(arg.type)}) { ${mutation.name}(input: $input) { userErrors { field code message } } }`;
      const send = async (input: Record<string, unknown>) => {
        const res = await app.gql(world.keys.ADMIN, query, { input });
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        return res.data![mutation.name].userErrors as { field: string[]; code: string; message: string }[];
      };
      const refused = async (leaf: Leaf, value: string) => {
        const before = await workspaceSnapshot(app.database.prisma, world.keys.workspaceId);
        const errors = await send(setAt(base(), leaf.path, value));
        expect(errors, `${leaf.path.join('.')} = ${JSON.stringify(value.slice(0, 40))}`).toContainEqual(expect.objectContaining({ field: leaf.path, code: 'INVALID' }));
        expect(await workspaceSnapshot(app.database.prisma, world.keys.workspaceId)).toEqual(before);
      };
      const notInvalid = async (leaf: Leaf, value: string) => {
        const errors = await send(setAt(base(), leaf.path, value));
        expect(errors.filter((e) => e.code === 'INVALID' && e.field.join('.') === leaf.path.join('.')), JSON.stringify(value.slice(0, 40))).toEqual([]);
      };

      const leaves = stringLeaves(arg.type, ['input']);
      expect(leaves.length).toBeGreaterThan(0);
      for (const [i, leaf] of leaves.entries()) {
        await refused(leaf, ofLength(leaf.kind, leaf.max + 1));
        if (leaf.kind === 'long') {
          await refused(leaf, withControl(leaf.kind, LONG_TEXT_CONTROLS[i % LONG_TEXT_CONTROLS.length]!));
          await notInvalid(leaf, 'one\ttwo\r\nthree\n');
        } else {
          await refused(leaf, withControl(leaf.kind, CONTROLS[i % CONTROLS.length]!));
        }
        await notInvalid(leaf, ofLength(leaf.kind, leaf.max));
      }
    }, 120_000);
  }
});

describe('what the rules keep out', () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(app, 'KEPT');
  });

  it('a workspace name with a line break is refused: it cannot forge calendar events', async () => {
    const res = await app.gql(world.keys.ADMIN, 'mutation ($input: UpdateWorkspaceInput!) { updateWorkspace(input: $input) { workspace { name } userErrors { field code message } } }', {
      input: { name: 'WS\r\nBEGIN:VEVENT\r\nSUMMARY:Free bikes\r\nEND:VEVENT' },
    });
    expect(res.data?.updateWorkspace).toEqual({
      workspace: null,
      userErrors: [{ field: ['input', 'name'], code: 'INVALID', message: expect.stringContaining('control characters') }],
    });
    expect((await app.database.prisma.workspace.findUniqueOrThrow({ where: { id: world.keys.workspaceId } })).name).toBe('KEPT workspace');
  });

  it('a URL of 2,000,000 characters is refused without being stored, and the message does not repeat it', async () => {
    const res = await app.gql(world.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { contentPiece { id } userErrors { field code message } } }', {
      input: { title: 'Long', format: 'ARTICLE', locale: 'en', phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'], url: `https://example.com/${'a'.repeat(2_000_000)}` },
    });
    expect(res.data?.createContentPiece).toEqual({ contentPiece: null, userErrors: [{ field: ['input', 'url'], code: 'INVALID', message: 'must be at most 2048 characters' }] });
    expect(await app.database.prisma.contentPiece.count({ where: { workspaceId: world.keys.workspaceId, title: 'Long' } })).toBe(0);
  });

  it('long texts keep their tabs and line breaks', async () => {
    const summary = 'First line\n\tindented\r\nlast';
    const res = await app.gql(world.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { contentPiece { summary } userErrors { field } } }', {
      input: { title: 'Lines', summary, format: 'ARTICLE', locale: 'en', phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'] },
    });
    expect(res.data?.createContentPiece).toEqual({ contentPiece: { summary }, userErrors: [] });
  });

  it('a reference that could never be a key is INVALID on its list item, and is not looked up', async () => {
    const input = {
      title: 'Refs', format: 'ARTICLE', locale: 'en',
      phases: [{ journey: 'shop', phase: 'attention' }, { journey: 'shop', phase: 'p'.repeat(64) }],
      channels: ['email', 'nope'], segments: ['a\u0000b'],
    };
    let res;
    await app.gql(world.keys.EDITOR, '{ __typename }'); // the key is known: fixture writes make the server forget it
    const statements = await app.countStatements(async () => {
      res = await app.gql(world.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { userErrors { field code } } }', { input });
    });
    expect(res!.data.createContentPiece.userErrors).toEqual([
      { field: ['input', 'phases', '1', 'phase'], code: 'INVALID' },
      { field: ['input', 'channels', '1'], code: 'NOT_FOUND' },
      { field: ['input', 'segments', '0'], code: 'INVALID' },
    ]);
    // The same input with valid references looks up phases and channels and segments: one statement more.
    const valid = { ...input, phases: [input.phases[0]], segments: ['families'] };
    const withSegments = await app.countStatements(() =>
      app.gql(world.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { userErrors { field code } } }', { input: valid }),
    );
    expect(statements).toBe(withSegments - 1);
  });

  it('Locale and DateTime values have a maximum too: BAD_USER_INPUT, without repeating the value', async () => {
    const res = await app.gql(world.keys.EDITOR, 'mutation ($input: CreateContentPieceInput!) { createContentPiece(input: $input) { userErrors { field } } }', {
      input: { title: 'Locale', format: 'ARTICLE', locale: `en-x-${'abcdefgh-'.repeat(10)}a`, phases: [{ journey: 'shop', phase: 'attention' }], channels: ['email'] },
    });
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringContaining('Locale: must be at most 35 characters'), extensions: { code: 'BAD_USER_INPUT' } });
    const at = await app.gql(world.keys.EDITOR, `{ recommendedContent(segment: "families", phase: "attention", channel: "email", at: "${'9'.repeat(100_000)}") { totalCount } }`);
    expect(at.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(at.errors?.[0]?.message).toContain('must be at most 64 characters');
    expect(at.errors?.[0]?.message.length).toBeLessThan(300);
  });
});
