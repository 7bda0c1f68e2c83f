import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GraphQLResponse, type TestApp, type WorkspaceKeys } from './support/app.js';

const JOURNEY = 'id key name description template phases { id key name description position archetype scope }';
const ERRORS = 'userErrors { field code message }';

const CREATE_JOURNEY = `mutation ($input: CreateJourneyInput!) { createJourney(input: $input) { journey { ${JOURNEY} } ${ERRORS} } }`;
const UPDATE_JOURNEY = `mutation ($input: UpdateJourneyInput!) { updateJourney(input: $input) { journey { ${JOURNEY} } ${ERRORS} } }`;
const DELETE_JOURNEY = `mutation ($input: DeleteJourneyInput!) { deleteJourney(input: $input) { deletedId ${ERRORS} } }`;
const APPLY_TEMPLATE = `mutation ($input: ApplyJourneyTemplateInput!) { applyJourneyTemplate(input: $input) { journey { ${JOURNEY} } ${ERRORS} } }`;
const CREATE_PHASE = `mutation ($input: CreatePhaseInput!) { createPhase(input: $input) { phase { id key name position archetype scope journey { key } } ${ERRORS} } }`;
const UPDATE_PHASE = `mutation ($input: UpdatePhaseInput!) { updatePhase(input: $input) { phase { id key name description position archetype scope } ${ERRORS} } }`;
const DELETE_PHASE = `mutation ($input: DeletePhaseInput!) { deletePhase(input: $input) { deletedId ${ERRORS} } }`;
const REORDER = `mutation ($input: ReorderPhasesInput!) { reorderPhases(input: $input) { journey { ${JOURNEY} } ${ERRORS} } }`;
const READ_JOURNEY = `query ($key: String!) { journey(key: $key) { ${JOURNEY} } }`;

/** The phases of each built-in template, as DOMAIN.md lists them. */
const TEMPLATES: Record<string, { nl: string; en: string; phases: [key: string, nl: string, en: string, archetype: string, scope: string][] }> = {
  'five-a': {
    nl: 'De 5 A\'s',
    en: 'The five As',
    phases: [
      ['attention', 'Aandacht', 'Attention', 'AWARENESS', 'BECOME'],
      ['consideration', 'Afweging', 'Consideration', 'CONSIDERATION', 'BECOME'],
      ['action', 'Actie', 'Action', 'DECISION', 'BECOME'],
      ['always', 'Altijd', 'Always', 'RETENTION', 'STAY'],
      ['advocate', 'Advocaat of ambassadeur', 'Advocate', 'ADVOCACY', 'STAY'],
    ],
  },
  'awareness-to-advocacy': {
    nl: 'Van bekendheid tot belangenbehartiging',
    en: 'Awareness to advocacy',
    phases: [
      ['awareness', 'Bekendheid', 'Awareness', 'AWARENESS', 'BECOME'],
      ['consideration', 'Overweging', 'Consideration', 'CONSIDERATION', 'BECOME'],
      ['decision', 'Beslissing', 'Decision', 'DECISION', 'BECOME'],
      ['retention', 'Retentie', 'Retention', 'RETENTION', 'STAY'],
      ['advocacy', 'Belangenbehartiging', 'Advocacy', 'ADVOCACY', 'STAY'],
    ],
  },
  'orientation-to-evaluation': {
    nl: 'Van oriëntatie tot evaluatie',
    en: 'Orientation to evaluation',
    phases: [
      ['orientation', 'Oriëntatie', 'Orientation', 'AWARENESS', 'BECOME'],
      ['weighing', 'Afweging', 'Weighing up', 'CONSIDERATION', 'BECOME'],
      ['purchase', 'Aankoop', 'Purchase', 'DECISION', 'BECOME'],
      ['use', 'Gebruik', 'Use', 'USAGE', 'BE'],
      ['evaluation', 'Evaluatie', 'Evaluation', 'ADVOCACY', 'STAY'],
    ],
  },
  'become-be-stay': {
    nl: 'Klant worden, zijn en blijven',
    en: 'Become, be and stay a customer',
    phases: [
      ['become', 'Klant worden', 'Becoming a customer', 'CONSIDERATION', 'BECOME'],
      ['be', 'Klant zijn', 'Being a customer', 'ONBOARDING', 'BE'],
      ['stay', 'Klant blijven', 'Staying a customer', 'RETENTION', 'STAY'],
    ],
  },
};

interface PhaseOut {
  id: string;
  key: string;
  name: string;
  position: number;
  archetype: string;
  scope: string;
}

let app: TestApp;
let ws: WorkspaceKeys;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
});
afterAll(() => app.close());

/** Everything journey-related a workspace holds, to prove a refused mutation wrote nothing. */
async function snapshot(workspaceId: string) {
  return app.database.prisma.journeyModel.findMany({
    where: { workspaceId },
    orderBy: { key: 'asc' },
    include: { phases: { orderBy: { position: 'asc' } } },
  });
}

async function expectRefused(key: string, query: string, input: Record<string, unknown>, expected: { field: string[]; code: string; message?: unknown }[]) {
  const before = await snapshot(ws.workspaceId);
  const res = await app.gql(key, query, { input });
  expect(res.errors).toBeUndefined();
  const payload = Object.values(res.data ?? {})[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual(expected.map((e) => ({ message: expect.any(String), ...e })));
  expect(await snapshot(ws.workspaceId)).toEqual(before);
  return payload;
}

async function createJourney(key: string, phases: string[] = [], keys: WorkspaceKeys = ws) {
  const res = await app.gql(keys.ADMIN, CREATE_JOURNEY, {
    input: { key, name: `Journey ${key}`, phases: phases.map((p) => ({ key: p, name: `Phase ${p}`, archetype: 'AWARENESS' })) },
  });
  expect(res.data?.createJourney.userErrors).toEqual([]);
  return res.data?.createJourney.journey as { id: string; key: string; phases: PhaseOut[] };
}

async function phasesOf(journey: string): Promise<PhaseOut[]> {
  const res = await app.gql(ws.ADMIN, READ_JOURNEY, { key: journey });
  return res.data?.journey.phases;
}

function keysAndPositions(phases: PhaseOut[]) {
  return phases.map((p) => [p.key, p.position]);
}

describe('journey templates', () => {
  it('lists the four built-in templates in English by default, with the phases DOMAIN.md names', async () => {
    const res = await app.gql(ws.DELIVERY, '{ journeyTemplates { key name description phases { key name archetype scope } } }');
    expect(res.errors).toBeUndefined();
    const templates = res.data?.journeyTemplates as { key: string; name: string; description: string; phases: unknown[] }[];
    expect(templates.map((t) => t.key)).toEqual(Object.keys(TEMPLATES));
    for (const template of templates) {
      const expected = TEMPLATES[template.key]!;
      expect(template.name).toBe(expected.en);
      expect(template.description).not.toBe('');
      expect(template.phases).toEqual(expected.phases.map(([key, , en, archetype, scope]) => ({ key, name: en, archetype, scope })));
    }
  });

  it('lists the templates in Dutch when asked', async () => {
    const res = await app.gql(ws.DELIVERY, '{ journeyTemplates(language: NL) { key name phases { key name } } }');
    for (const template of res.data?.journeyTemplates as { key: string; name: string; phases: { key: string; name: string }[] }[]) {
      const expected = TEMPLATES[template.key]!;
      expect(template.name).toBe(expected.nl);
      expect(template.phases).toEqual(expected.phases.map(([key, nl]) => ({ key, name: nl })));
    }
  });

  for (const [template, expected] of Object.entries(TEMPLATES)) {
    for (const language of ['NL', 'EN'] as const) {
      it(`applying "${template}" in ${language} creates the journey with every phase named in that language`, async () => {
        const key = `${template}-${language.toLowerCase()}`;
        const res = await app.gql(ws.ADMIN, APPLY_TEMPLATE, { input: { template, language, key } });
        expect(res.data?.applyJourneyTemplate.userErrors).toEqual([]);
        const journey = res.data?.applyJourneyTemplate.journey;
        expect(journey).toMatchObject({ key, template, name: language === 'NL' ? expected.nl : expected.en, description: expect.any(String) });
        expect(journey.phases.map((p: PhaseOut) => [p.key, p.name, p.archetype, p.scope, p.position])).toEqual(
          expected.phases.map(([k, nl, en, archetype, scope], i) => [k, language === 'NL' ? nl : en, archetype, scope, i]),
        );
      });
    }
  }

  it('takes a custom name for the applied journey', async () => {
    const res = await app.gql(ws.ADMIN, APPLY_TEMPLATE, { input: { template: 'five-a', language: 'EN', key: 'b2b', name: 'B2B journey' } });
    expect(res.data?.applyJourneyTemplate.journey).toMatchObject({ key: 'b2b', name: 'B2B journey', template: 'five-a' });
  });

  it('refuses an unknown template with NOT_FOUND on input.template, listing the valid keys, and writes nothing', async () => {
    await expectRefused(ws.ADMIN, APPLY_TEMPLATE, { template: 'seven-steps', language: 'EN', key: 'seven' }, [
      {
        field: ['input', 'template'],
        code: 'NOT_FOUND',
        message: expect.stringMatching(/seven-steps.*five-a.*awareness-to-advocacy.*orientation-to-evaluation.*become-be-stay/),
      },
    ]);
  });

  it('refuses a journey key already taken with CONFLICT on input.key and writes nothing', async () => {
    await expectRefused(ws.ADMIN, APPLY_TEMPLATE, { template: 'become-be-stay', language: 'NL', key: 'b2b' }, [
      { field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('b2b') },
    ]);
  });

  it('refuses a malformed key and an empty name with INVALID on each', async () => {
    await expectRefused(ws.ADMIN, APPLY_TEMPLATE, { template: 'five-a', language: 'EN', key: 'Not a slug', name: '  ' }, [
      { field: ['input', 'key'], code: 'INVALID' },
      { field: ['input', 'name'], code: 'INVALID' },
    ]);
  });
});

describe('journey models', () => {
  it('an admin creates a journey with phases in order, scopes defaulting from the archetype unless given', async () => {
    const res = await app.gql(ws.ADMIN, CREATE_JOURNEY, {
      input: {
        key: 'b2c',
        name: ' B2C ',
        description: 'Consumers',
        phases: [
          { key: 'see', name: 'See', archetype: 'AWARENESS', description: 'Get noticed' },
          { key: 'start', name: 'Start', archetype: 'ONBOARDING' },
          { key: 'love', name: 'Love', archetype: 'CONSIDERATION', scope: 'STAY' },
        ],
      },
    });
    expect(res.data?.createJourney.userErrors).toEqual([]);
    expect(res.data?.createJourney.journey).toMatchObject({
      key: 'b2c',
      name: 'B2C',
      description: 'Consumers',
      template: null,
      phases: [
        { key: 'see', name: 'See', description: 'Get noticed', position: 0, archetype: 'AWARENESS', scope: 'BECOME' },
        { key: 'start', name: 'Start', description: null, position: 1, archetype: 'ONBOARDING', scope: 'BE' },
        { key: 'love', name: 'Love', description: null, position: 2, archetype: 'CONSIDERATION', scope: 'STAY' },
      ],
    });
  });

  it('creates a journey without phases', async () => {
    const journey = await createJourney('empty');
    expect(journey.phases).toEqual([]);
  });

  it('delivery keys read journeys as a connection by key, one by key, and by node id', async () => {
    const list = await app.gql(ws.DELIVERY, '{ journeys(first: 2) { totalCount edges { node { key } } pageInfo { hasNextPage } } }');
    expect(list.errors).toBeUndefined();
    const all = (await snapshot(ws.workspaceId)).map((j) => j.key);
    expect(list.data?.journeys.totalCount).toBe(all.length);
    expect(list.data?.journeys.edges.map((e: { node: { key: string } }) => e.node.key)).toEqual(all.slice(0, 2));
    expect(list.data?.journeys.pageInfo.hasNextPage).toBe(true);

    const one = await app.gql(ws.DELIVERY, READ_JOURNEY, { key: 'b2c' });
    expect(one.data?.journey.phases.map((p: PhaseOut) => p.key)).toEqual(['see', 'start', 'love']);
    const phaseId = one.data?.journey.phases[1].id;
    const node = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { ... on Phase { key position journey { key } } } }', { id: phaseId });
    expect(node.data?.node).toEqual({ key: 'start', position: 1, journey: { key: 'b2c' } });
    const journeyNode = await app.gql(ws.DELIVERY, 'query ($id: ID!) { node(id: $id) { ... on JourneyModel { key } } }', { id: one.data?.journey.id });
    expect(journeyNode.data?.node).toEqual({ key: 'b2c' });
  });

  it('answers null for a journey key that does not exist', async () => {
    const res = await app.gql(ws.DELIVERY, READ_JOURNEY, { key: 'nope' });
    expect(res).toMatchObject({ data: { journey: null } });
    expect(res.errors).toBeUndefined();
  });

  it('refuses a journey key already taken with CONFLICT on input.key and writes nothing', async () => {
    await expectRefused(ws.ADMIN, CREATE_JOURNEY, { key: 'b2c', name: 'Again', phases: [{ key: 'x', name: 'X', archetype: 'USAGE' }] }, [
      { field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('b2c') },
    ]);
  });

  it('refuses a phase key repeated in the list with CONFLICT on that phase and writes nothing', async () => {
    const phases = [
      { key: 'a', name: 'A', archetype: 'AWARENESS' },
      { key: 'b', name: 'B', archetype: 'DECISION' },
      { key: 'a', name: 'A again', archetype: 'USAGE' },
    ];
    await expectRefused(ws.ADMIN, CREATE_JOURNEY, { key: 'dupes', name: 'Dupes', phases }, [
      { field: ['input', 'phases', '2', 'key'], code: 'CONFLICT', message: expect.stringContaining('"a"') },
    ]);
  });

  it('refuses malformed keys and empty names with INVALID, naming each field', async () => {
    await expectRefused(ws.ADMIN, CREATE_JOURNEY, { key: '-bad', name: '', phases: [{ key: 'ok', name: 'Ok', archetype: 'USAGE' }, { key: 'Bad Key', name: ' ', archetype: 'USAGE' }] }, [
      { field: ['input', 'key'], code: 'INVALID' },
      { field: ['input', 'name'], code: 'INVALID' },
      { field: ['input', 'phases', '1', 'key'], code: 'INVALID' },
      { field: ['input', 'phases', '1', 'name'], code: 'INVALID' },
    ]);
  });

  it('refuses more than 50 phases in one journey with TOO_MANY', async () => {
    const phases = Array.from({ length: 51 }, (_, i) => ({ key: `p${i}`, name: `P${i}`, archetype: 'USAGE' }));
    await expectRefused(ws.ADMIN, CREATE_JOURNEY, { key: 'huge', name: 'Huge', phases }, [{ field: ['input', 'phases'], code: 'TOO_MANY' }]);
  });

  it('updates a journey\'s key, name and description, leaving its phases alone', async () => {
    const journey = await createJourney('to-rename', ['one', 'two']);
    const res = await app.gql(ws.ADMIN, UPDATE_JOURNEY, { input: { id: journey.id, key: 'renamed', name: 'Renamed', description: 'Now described' } });
    expect(res.data?.updateJourney).toMatchObject({
      journey: { id: journey.id, key: 'renamed', name: 'Renamed', description: 'Now described', phases: [{ key: 'one' }, { key: 'two' }] },
      userErrors: [],
    });
    const cleared = await app.gql(ws.ADMIN, UPDATE_JOURNEY, { input: { id: journey.id, description: null } });
    expect(cleared.data?.updateJourney.journey).toMatchObject({ key: 'renamed', name: 'Renamed', description: null });
  });

  it('refuses renaming a journey to a taken key (CONFLICT), an empty name (INVALID) or an unknown id (NOT_FOUND)', async () => {
    const journey = await createJourney('keeps-key');
    await expectRefused(ws.ADMIN, UPDATE_JOURNEY, { id: journey.id, key: 'b2c' }, [{ field: ['input', 'key'], code: 'CONFLICT' }]);
    await expectRefused(ws.ADMIN, UPDATE_JOURNEY, { id: journey.id, name: '   ' }, [{ field: ['input', 'name'], code: 'INVALID' }]);
    await expectRefused(ws.ADMIN, UPDATE_JOURNEY, { id: 'not-an-id', name: 'X' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    const phaseId = (await phasesOf('b2c'))[0]!.id;
    await expectRefused(ws.ADMIN, UPDATE_JOURNEY, { id: phaseId, name: 'X' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
  });

  it('deletes a journey with its phases', async () => {
    const journey = await createJourney('doomed', ['a', 'b']);
    const res = await app.gql(ws.ADMIN, DELETE_JOURNEY, { input: { id: journey.id } });
    expect(res.data?.deleteJourney).toEqual({ deletedId: journey.id, userErrors: [] });
    expect(await app.database.prisma.journeyModel.count({ where: { id: journey.id } })).toBe(0);
    expect(await app.database.prisma.phase.count({ where: { id: { in: journey.phases.map((p) => p.id) } } })).toBe(0);
    const again = await app.gql(ws.ADMIN, DELETE_JOURNEY, { input: { id: journey.id } });
    expect(again.data?.deleteJourney.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
  });

  it('refuses to delete a journey that a segment follows (IN_USE) and writes nothing', async () => {
    const journey = await createJourney('followed', ['a']);
    await app.database.prisma.segment.create({
      data: { workspaceId: ws.workspaceId, journeyId: dbId(journey.id), key: 'followers', name: 'Followers', market: 'B2C' },
    });
    await expectRefused(ws.ADMIN, DELETE_JOURNEY, { id: journey.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 segment') }]);
  });

  it('refuses to delete a journey whose phases a content piece targets (IN_USE) and writes nothing', async () => {
    const journey = await createJourney('targeted', ['a', 'b']);
    await pieceAt(journey.phases[1]!.id);
    await expectRefused(ws.ADMIN, DELETE_JOURNEY, { id: journey.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 content piece') }]);
  });

  it('refuses to delete a journey whose phases carry touchpoints or coverage rules (IN_USE)', async () => {
    const journey = await createJourney('mapped', ['a', 'b']);
    await touchpointAt(journey.phases[0]!.id);
    await expectRefused(ws.ADMIN, DELETE_JOURNEY, { id: journey.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 touchpoint') }]);
    const ruled = await createJourney('ruled', ['a']);
    await ruleAt(ruled.phases[0]!.id);
    await expectRefused(ws.ADMIN, DELETE_JOURNEY, { id: ruled.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 coverage rule') }]);
  });
});

describe('phases', () => {
  it('appends a phase at the end, its scope defaulting from the archetype', async () => {
    await createJourney('grow', ['a', 'b']);
    const res = await app.gql(ws.ADMIN, CREATE_PHASE, { input: { journey: 'grow', key: 'c', name: 'C', archetype: 'USAGE' } });
    expect(res.data?.createPhase).toMatchObject({ phase: { key: 'c', position: 2, archetype: 'USAGE', scope: 'BE', journey: { key: 'grow' } }, userErrors: [] });
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['a', 0], ['b', 1], ['c', 2]]);
  });

  it('inserts a phase at a position, shifting the later ones, with an explicit scope', async () => {
    const res = await app.gql(ws.ADMIN, CREATE_PHASE, { input: { journey: 'grow', key: 'first', name: 'First', archetype: 'RETENTION', scope: 'BECOME', position: 0 } });
    expect(res.data?.createPhase.phase).toMatchObject({ key: 'first', position: 0, archetype: 'RETENTION', scope: 'BECOME' });
    await app.gql(ws.ADMIN, CREATE_PHASE, { input: { journey: 'grow', key: 'mid', name: 'Mid', archetype: 'ADVOCACY', position: 2 } });
    const phases = await phasesOf('grow');
    expect(keysAndPositions(phases)).toEqual([['first', 0], ['a', 1], ['mid', 2], ['b', 3], ['c', 4]]);
    expect(phases.find((p) => p.key === 'mid')?.scope).toBe('STAY');
  });

  it('refuses a new phase in an unknown journey (NOT_FOUND on input.journey)', async () => {
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'nope', key: 'x', name: 'X', archetype: 'USAGE' }, [
      { field: ['input', 'journey'], code: 'NOT_FOUND', message: expect.stringContaining('nope') },
    ]);
  });

  it('refuses a phase key already in the journey (CONFLICT on input.key) but allows it in another journey', async () => {
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'grow', key: 'mid', name: 'X', archetype: 'USAGE' }, [
      { field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('mid') },
    ]);
    const other = await app.gql(ws.ADMIN, CREATE_PHASE, { input: { journey: 'empty', key: 'mid', name: 'Mid', archetype: 'USAGE' } });
    expect(other.data?.createPhase).toMatchObject({ phase: { key: 'mid', position: 0 }, userErrors: [] });
  });

  it('refuses a position beyond the end or below zero, and a malformed key (INVALID)', async () => {
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'grow', key: 'far', name: 'Far', archetype: 'USAGE', position: 6 }, [
      { field: ['input', 'position'], code: 'INVALID', message: expect.stringContaining('5') },
    ]);
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'grow', key: 'neg', name: 'Neg', archetype: 'USAGE', position: -1 }, [
      { field: ['input', 'position'], code: 'INVALID' },
    ]);
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'grow', key: 'Bad!', name: 'Bad', archetype: 'USAGE' }, [{ field: ['input', 'key'], code: 'INVALID' }]);
  });

  it('refuses a phase once the journey holds 50 (TOO_MANY)', async () => {
    const phases = Array.from({ length: 50 }, (_, i) => ({ key: `p${i}`, name: `P${i}`, archetype: 'USAGE' }));
    const full = await app.gql(ws.ADMIN, CREATE_JOURNEY, { input: { key: 'full', name: 'Full', phases } });
    expect(full.data?.createJourney.userErrors).toEqual([]);
    await expectRefused(ws.ADMIN, CREATE_PHASE, { journey: 'full', key: 'one-more', name: 'One more', archetype: 'USAGE' }, [
      { field: ['input', 'journey'], code: 'TOO_MANY' },
    ]);
  });

  it('changing the archetype without a scope keeps the scope; giving both changes both', async () => {
    const see = (await phasesOf('b2c')).find((p) => p.key === 'see')!;
    const res = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: see.id, archetype: 'ADVOCACY', name: 'Seen', description: 'Goal' } });
    expect(res.data?.updatePhase).toMatchObject({ phase: { archetype: 'ADVOCACY', scope: 'BECOME', name: 'Seen', description: 'Goal', position: 0 }, userErrors: [] });
    const both = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: see.id, archetype: 'USAGE', scope: 'BE' } });
    expect(both.data?.updatePhase.phase).toMatchObject({ archetype: 'USAGE', scope: 'BE', name: 'Seen' });
  });

  it('renames a phase key, refusing one taken in the same journey (CONFLICT)', async () => {
    const [see, start] = await phasesOf('b2c');
    const res = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: see!.id, key: 'notice' } });
    expect(res.data?.updatePhase).toMatchObject({ phase: { key: 'notice' }, userErrors: [] });
    await expectRefused(ws.ADMIN, UPDATE_PHASE, { id: start!.id, key: 'notice' }, [{ field: ['input', 'key'], code: 'CONFLICT', message: expect.stringContaining('notice') }]);
    // Keys are unique per journey only: "a" exists in "grow", so it is free in "b2c".
    const free = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: start!.id, key: 'a' } });
    expect(free.data?.updatePhase).toMatchObject({ phase: { key: 'a' }, userErrors: [] });
  });

  it('moves a phase to another position, shifting those in between', async () => {
    const phases = await phasesOf('grow');
    const first = phases[0]!;
    const res = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: first.id, position: 3 } });
    expect(res.data?.updatePhase).toMatchObject({ phase: { key: 'first', position: 3 }, userErrors: [] });
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['a', 0], ['mid', 1], ['b', 2], ['first', 3], ['c', 4]]);
    const back = await app.gql(ws.ADMIN, UPDATE_PHASE, { input: { id: first.id, position: 0 } });
    expect(back.data?.updatePhase.phase.position).toBe(0);
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['first', 0], ['a', 1], ['mid', 2], ['b', 3], ['c', 4]]);
  });

  it('refuses moving a phase past the last position, an empty name (INVALID) and an unknown id (NOT_FOUND)', async () => {
    const first = (await phasesOf('grow'))[0]!;
    await expectRefused(ws.ADMIN, UPDATE_PHASE, { id: first.id, position: 5 }, [{ field: ['input', 'position'], code: 'INVALID', message: expect.stringContaining('4') }]);
    await expectRefused(ws.ADMIN, UPDATE_PHASE, { id: first.id, name: '' }, [{ field: ['input', 'name'], code: 'INVALID' }]);
    const journeyId = (await app.gql(ws.ADMIN, READ_JOURNEY, { key: 'grow' })).data?.journey.id;
    await expectRefused(ws.ADMIN, UPDATE_PHASE, { id: journeyId, name: 'X' }, [{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
  });

  it('deletes an unused phase and closes the gap in positions', async () => {
    const mid = (await phasesOf('grow')).find((p) => p.key === 'mid')!;
    const res = await app.gql(ws.ADMIN, DELETE_PHASE, { input: { id: mid.id } });
    expect(res.data?.deletePhase).toEqual({ deletedId: mid.id, userErrors: [] });
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['first', 0], ['a', 1], ['b', 2], ['c', 3]]);
    const again = await app.gql(ws.ADMIN, DELETE_PHASE, { input: { id: mid.id } });
    expect(again.data?.deletePhase.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) }]);
  });

  it('refuses to delete a phase a content piece, touchpoint or coverage rule uses (IN_USE) and writes nothing', async () => {
    const journey = await createJourney('used', ['content', 'touch', 'rule']);
    const [content, touch, rule] = journey.phases;
    await pieceAt(content!.id);
    await touchpointAt(touch!.id);
    await ruleAt(rule!.id);
    await expectRefused(ws.ADMIN, DELETE_PHASE, { id: content!.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 content piece') }]);
    await expectRefused(ws.ADMIN, DELETE_PHASE, { id: touch!.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 touchpoint') }]);
    await expectRefused(ws.ADMIN, DELETE_PHASE, { id: rule!.id }, [{ field: ['input', 'id'], code: 'IN_USE', message: expect.stringContaining('1 coverage rule') }]);
  });

  it('reorders all phases of a journey by key', async () => {
    const res = await app.gql(ws.ADMIN, REORDER, { input: { journey: 'grow', phases: ['c', 'b', 'a', 'first'] } });
    expect(res.data?.reorderPhases.userErrors).toEqual([]);
    expect(keysAndPositions(res.data?.reorderPhases.journey.phases)).toEqual([['c', 0], ['b', 1], ['a', 2], ['first', 3]]);
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['c', 0], ['b', 1], ['a', 2], ['first', 3]]);
  });

  it('refuses an order that misses, repeats or invents phase keys (INVALID naming them) and writes nothing', async () => {
    await expectRefused(ws.ADMIN, REORDER, { journey: 'grow', phases: ['c', 'b', 'a'] }, [
      { field: ['input', 'phases'], code: 'INVALID', message: expect.stringMatching(/missing "first"/) },
    ]);
    await expectRefused(ws.ADMIN, REORDER, { journey: 'grow', phases: ['c', 'b', 'a', 'first', 'zzz'] }, [
      { field: ['input', 'phases'], code: 'INVALID', message: expect.stringMatching(/unknown "zzz"/) },
    ]);
    await expectRefused(ws.ADMIN, REORDER, { journey: 'grow', phases: ['c', 'b', 'a', 'first', 'b'] }, [
      { field: ['input', 'phases'], code: 'INVALID', message: expect.stringMatching(/duplicate "b"/) },
    ]);
  });

  it('refuses more than 100 phase keys at once as TOO_MANY, with one error and no lookup', async () => {
    const phases = Array.from({ length: 100_000 }, (_, i) => `no-such-phase-${i}`);
    let res: GraphQLResponse | undefined;
    const statements = await app.countStatements(async () => (res = await app.gql(ws.ADMIN, REORDER, { input: { journey: 'grow', phases } })));
    expect(res?.data?.reorderPhases.userErrors).toEqual([{ field: ['input', 'phases'], code: 'TOO_MANY', message: 'must list at most 100 phases' }]);
    // The transaction's BEGIN and ROLLBACK at most: no phase or journey is looked up.
    expect(statements).toBeLessThanOrEqual(2);
  });

  it('refuses reordering an unknown journey (NOT_FOUND on input.journey)', async () => {
    await expectRefused(ws.ADMIN, REORDER, { journey: 'nope', phases: [] }, [{ field: ['input', 'journey'], code: 'NOT_FOUND' }]);
  });
});

describe('roles', () => {
  const writes: [string, string, () => Promise<Record<string, unknown>>][] = [
    ['createJourney', CREATE_JOURNEY, async () => ({ key: 'by-role', name: 'By role' })],
    ['updateJourney', UPDATE_JOURNEY, async () => ({ id: (await app.gql(ws.ADMIN, READ_JOURNEY, { key: 'b2c' })).data?.journey.id, name: 'X' })],
    ['deleteJourney', DELETE_JOURNEY, async () => ({ id: (await app.gql(ws.ADMIN, READ_JOURNEY, { key: 'empty' })).data?.journey.id })],
    ['applyJourneyTemplate', APPLY_TEMPLATE, async () => ({ template: 'five-a', language: 'EN', key: 'by-role' })],
    ['createPhase', CREATE_PHASE, async () => ({ journey: 'b2c', key: 'by-role', name: 'X', archetype: 'USAGE' })],
    ['updatePhase', UPDATE_PHASE, async () => ({ id: (await phasesOf('b2c'))[0]!.id, name: 'X' })],
    ['deletePhase', DELETE_PHASE, async () => ({ id: (await phasesOf('b2c'))[2]!.id })],
    ['reorderPhases', REORDER, async () => ({ journey: 'b2c', phases: (await phasesOf('b2c')).map((p) => p.key).reverse() })],
  ];

  for (const role of ['EDITOR', 'DELIVERY'] as const) {
    for (const [name, query, input] of writes) {
      it(`the ${role} role may not ${name}, and nothing changes`, async () => {
        const before = await snapshot(ws.workspaceId);
        const res = await app.gql(ws[role], query, { input: await input() });
        expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(await snapshot(ws.workspaceId)).toEqual(before);
      });
    }
  }

  it('editors and delivery keys read journeys, phases and templates', async () => {
    for (const role of ['EDITOR', 'DELIVERY'] as const) {
      const res = await app.gql(ws[role], '{ journeys { totalCount } journey(key: "b2c") { phases { key } } journeyTemplates(language: NL) { key } }');
      expect(res.errors).toBeUndefined();
      expect(res.data?.journeys.totalCount).toBeGreaterThan(0);
      expect(res.data?.journey.phases.length).toBe(3);
      expect(res.data?.journeyTemplates).toHaveLength(4);
    }
  });

  it('anonymous callers read nothing', async () => {
    const res = await app.gql(null, '{ journeys { totalCount } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('isolation between workspaces', () => {
  let other: WorkspaceKeys;
  let mine: { id: string; phases: PhaseOut[] };

  beforeAll(async () => {
    other = await app.workspace('Other');
    mine = (await app.gql(ws.ADMIN, READ_JOURNEY, { key: 'grow' })).data?.journey;
  });

  it('another workspace sees none of the journeys, by list, key or node id', async () => {
    const res = await app.gql(other.ADMIN, '{ journeys { totalCount edges { node { key } } } journey(key: "grow") { id } }');
    expect(res.data).toEqual({ journeys: { totalCount: 0, edges: [] }, journey: null });
    for (const id of [mine.id, mine.phases[0]!.id]) {
      const node = await app.gql(other.ADMIN, 'query ($id: ID!) { node(id: $id) { id } }', { id });
      expect(node.data?.node).toBeNull();
    }
  });

  it('another workspace cannot change or delete them by id or key', async () => {
    const before = await snapshot(ws.workspaceId);
    const attempts: [string, Record<string, unknown>, string][] = [
      [UPDATE_JOURNEY, { id: mine.id, name: 'Hacked' }, 'id'],
      [DELETE_JOURNEY, { id: mine.id }, 'id'],
      [UPDATE_PHASE, { id: mine.phases[0]!.id, name: 'Hacked' }, 'id'],
      [DELETE_PHASE, { id: mine.phases[0]!.id }, 'id'],
      [CREATE_PHASE, { journey: 'grow', key: 'sneak', name: 'Sneak', archetype: 'USAGE' }, 'journey'],
      [REORDER, { journey: 'grow', phases: mine.phases.map((p) => p.key) }, 'journey'],
    ];
    for (const [query, input, field] of attempts) {
      const res = await app.gql(other.ADMIN, query, { input });
      const payload = Object.values(res.data ?? {})[0] as { userErrors: { field: string[]; code: string }[] };
      expect(payload.userErrors).toEqual([{ field: ['input', field], code: 'NOT_FOUND', message: expect.any(String) }]);
    }
    expect(await snapshot(ws.workspaceId)).toEqual(before);
  });

  it('journey keys are unique per workspace: another workspace may use the same key', async () => {
    const theirs = await createJourney('grow', ['a'], other);
    expect(theirs.key).toBe('grow');
    const applied = await app.gql(other.ADMIN, APPLY_TEMPLATE, { input: { template: 'five-a', language: 'NL', key: 'b2b' } });
    expect(applied.data?.applyJourneyTemplate.userErrors).toEqual([]);
    expect((await app.gql(other.DELIVERY, '{ journeys { totalCount } }')).data?.journeys.totalCount).toBe(2);
    expect(keysAndPositions(await phasesOf('grow'))).toEqual([['c', 0], ['b', 1], ['a', 2], ['first', 3]]);
  });
});

// Fixtures the journey rules check against; written straight to the database
// so these tests depend only on the data model, not on other modules' API.

/** The database id inside a global ID. */
function dbId(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString().split(':').slice(1).join(':');
}

async function channelId(): Promise<string> {
  const channel = await app.database.prisma.channel.upsert({
    where: { workspaceId_key: { workspaceId: ws.workspaceId, key: 'journeys-web' } },
    create: { workspaceId: ws.workspaceId, key: 'journeys-web', name: 'Web', kind: 'WEBSITE' },
    update: {},
  });
  return channel.id;
}

async function pieceAt(phaseGlobalId: string) {
  await app.database.prisma.contentPiece.create({
    data: { workspaceId: ws.workspaceId, title: 'A piece', format: 'BLOG_POST', locale: 'en', phases: { create: [{ phaseId: dbId(phaseGlobalId) }] } },
  });
}

async function touchpointAt(phaseGlobalId: string) {
  await app.database.prisma.touchpoint.create({
    data: { workspaceId: ws.workspaceId, name: 'Order form', phaseId: dbId(phaseGlobalId), channelId: await channelId() },
  });
}

async function ruleAt(phaseGlobalId: string) {
  await app.database.prisma.coverageRule.create({ data: { workspaceId: ws.workspaceId, phaseId: dbId(phaseGlobalId), minLive: 1 } });
}
