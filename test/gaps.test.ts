import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoWorkspace } from '../src/demo/demo.js';
import { suggestedFormats } from '../src/gaps/formats.js';
import { gapSeverity } from '../src/gaps/severity.js';
import { startTestApp, type TestApp } from './support/app.js';

describe('gap severity', () => {
  it('weighs the kind first: MISSING > STALE > THIN > EXPIRING > PLANNED_ONLY', () => {
    const kinds = ['MISSING', 'STALE', 'THIN', 'EXPIRING', 'PLANNED_ONLY'] as const;
    const severities = kinds.map((kind) => gapSeverity(kind, 'STAY', []));
    expect([...severities].sort((a, b) => b - a)).toEqual(severities);
    expect(new Set(severities).size).toBe(kinds.length);
  });

  it('sales opportunities and negative emotions raise it; earlier scopes weigh more', () => {
    const plain = gapSeverity('THIN', 'STAY', [{ emotion: 0, salesOpportunity: false }]);
    expect(gapSeverity('THIN', 'STAY', [{ emotion: 0, salesOpportunity: true }])).toBeGreaterThan(plain);
    expect(gapSeverity('THIN', 'STAY', [{ emotion: -2, salesOpportunity: false }])).toBeGreaterThan(gapSeverity('THIN', 'STAY', [{ emotion: -1, salesOpportunity: false }]));
    expect(gapSeverity('THIN', 'STAY', [{ emotion: 2, salesOpportunity: false }])).toBe(plain);
    expect(gapSeverity('THIN', 'BECOME', [])).toBeGreaterThan(gapSeverity('THIN', 'BE', []));
    expect(gapSeverity('THIN', 'BE', [])).toBeGreaterThan(gapSeverity('THIN', 'STAY', []));
  });
});

describe('suggested formats', () => {
  it('come from the phase archetype and the segment market', () => {
    expect(suggestedFormats('DECISION', 'B2C')).toEqual(['OFFER', 'LANDING_PAGE', 'TESTIMONIAL', 'FAQ']);
    expect(suggestedFormats('DECISION', 'B2B')).toEqual(['PRODUCT_DEMO', 'PRICING_PROPOSAL', 'ROI_CALCULATOR', 'SALES_CALL_SCRIPT', 'TESTIMONIAL']);
    expect(suggestedFormats('ONBOARDING', 'B2C')).toEqual(['WELCOME_EMAIL', 'UNBOXING_VIDEO', 'HOW_TO_VIDEO', 'QUICK_START_GUIDE']);
    expect(suggestedFormats('ADVOCACY', 'B2B')).toEqual(['CASE_STUDY_INVITATION', 'REFERRAL_PROGRAMME', 'COMMUNITY_EVENT', 'REVIEW_REQUEST']);
  });
});

describe('gap analysis on the demo workspace', () => {
  let app: TestApp;
  const now = new Date('2026-06-01T09:00:00.000Z');
  beforeAll(async () => {
    app = await startTestApp();
    await loadDemoWorkspace(app.database, now);
  });
  afterAll(() => app.close());

  it('names the ZZP\'ers\' missing quote e-mail in the business decision phase, with what to make', async () => {
    const res = await app.gql(
      'cpk_demo_editor',
      `{ contentGaps(journey: "zakelijk", at: "2026-06-01T12:00:00Z", first: 3) {
          totalCount
          edges { node { kind severity segment { key } phase { key } channel { key } message suggestedFormats } }
        } }`,
    );
    expect(res.errors).toBeUndefined();
    const gaps = res.data?.contentGaps;
    expect(gaps.totalCount).toBe(3);
    expect(gaps.edges[1].node).toEqual({
      kind: 'PLANNED_ONLY',
      severity: 45,
      segment: { key: 'zzp' },
      phase: { key: 'decision' },
      channel: { key: 'email' },
      message:
        'Nothing is live yet (1 piece in the pipeline) for segment "ZZP\'ers" in phase "Beslissing" (BECOME: becoming a customer) on channel "E-mail". Expected by touchpoint "Offerte per e-mail" (a sales opportunity, emotion -1).',
      suggestedFormats: ['PRODUCT_DEMO', 'PRICING_PROPOSAL', 'ROI_CALCULATOR', 'SALES_CALL_SCRIPT', 'TESTIMONIAL'],
    });
    expect(gaps.edges[0].node).toMatchObject({ kind: 'MISSING', severity: 72, segment: { key: 'mkb' }, phase: { key: 'consideration' }, channel: { key: 'phone' } });
  });
});
