import type { Archetype, ContentFormat, Market } from '../generated/sqlite/enums.js';

/**
 * What to make for a gap, from the phase's archetype and the segment's
 * market (DOMAIN.md's table, seed 002). B2B lists start with the B2B
 * formats and keep the consumer formats that also work between businesses
 * ("extra or instead"), so both lists stay short enough to act on.
 */
const SUGGESTED: Record<Archetype, Record<Market, ContentFormat[]>> = {
  AWARENESS: {
    B2C: ['SOCIAL_POST', 'SHORT_VIDEO', 'BLOG_POST', 'ONLINE_AD', 'PRESS_RELEASE'],
    B2B: ['THOUGHT_LEADERSHIP_ARTICLE', 'PRESS_RELEASE', 'PODCAST', 'BLOG_POST', 'SOCIAL_POST'],
  },
  CONSIDERATION: {
    B2C: ['REVIEW', 'COMPARISON', 'BLOG_POST', 'PRODUCT_PAGE', 'FAQ'],
    B2B: ['CASE_STUDY', 'WHITEPAPER', 'WEBINAR', 'PRODUCT_DEMO', 'COMPARISON', 'PRODUCT_PAGE'],
  },
  DECISION: {
    B2C: ['OFFER', 'LANDING_PAGE', 'TESTIMONIAL', 'FAQ'],
    B2B: ['PRODUCT_DEMO', 'PRICING_PROPOSAL', 'ROI_CALCULATOR', 'SALES_CALL_SCRIPT', 'TESTIMONIAL'],
  },
  ONBOARDING: {
    B2C: ['WELCOME_EMAIL', 'UNBOXING_VIDEO', 'HOW_TO_VIDEO', 'QUICK_START_GUIDE'],
    B2B: ['ONBOARDING_GUIDE', 'KICK_OFF_CALL', 'TRAINING', 'WELCOME_EMAIL'],
  },
  USAGE: {
    B2C: ['HOW_TO_VIDEO', 'MANUAL', 'FAQ', 'TIPS_EMAIL'],
    B2B: ['KNOWLEDGE_BASE_ARTICLE', 'TRAINING', 'WEBINAR', 'HOW_TO_VIDEO'],
  },
  RETENTION: {
    B2C: ['NEWSLETTER', 'LOYALTY_OFFER', 'PERSONAL_EMAIL', 'SERVICE_MESSAGE'],
    B2B: ['ACCOUNT_REVIEW', 'CUSTOMER_NEWSLETTER', 'USER_EVENT', 'SERVICE_MESSAGE'],
  },
  ADVOCACY: {
    B2C: ['REVIEW_REQUEST', 'REFERRAL_OFFER', 'USER_GENERATED_CONTENT'],
    B2B: ['CASE_STUDY_INVITATION', 'REFERRAL_PROGRAMME', 'COMMUNITY_EVENT', 'REVIEW_REQUEST'],
  },
};

export function suggestedFormats(archetype: Archetype, market: Market): ContentFormat[] {
  return [...SUGGESTED[archetype][market]];
}
