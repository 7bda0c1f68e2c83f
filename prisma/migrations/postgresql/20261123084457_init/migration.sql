-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('DELIVERY', 'EDITOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "Market" AS ENUM ('B2B', 'B2C');

-- CreateEnum
CREATE TYPE "Scope" AS ENUM ('BECOME', 'BE', 'STAY');

-- CreateEnum
CREATE TYPE "Archetype" AS ENUM ('AWARENESS', 'CONSIDERATION', 'DECISION', 'ONBOARDING', 'USAGE', 'RETENTION', 'ADVOCACY');

-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('WEBSITE', 'EMAIL', 'SOCIAL', 'ADS', 'SMS', 'PHONE', 'EVENT', 'STORE', 'OTHER');

-- CreateEnum
CREATE TYPE "NeedType" AS ENUM ('FUNCTIONAL', 'EMOTIONAL');

-- CreateEnum
CREATE TYPE "ContentStatus" AS ENUM ('IDEA', 'DRAFT', 'IN_REVIEW', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "ContentFormat" AS ENUM ('ARTICLE', 'BLOG_POST', 'THOUGHT_LEADERSHIP_ARTICLE', 'KNOWLEDGE_BASE_ARTICLE', 'PRESS_RELEASE', 'SOCIAL_POST', 'SHORT_VIDEO', 'HOW_TO_VIDEO', 'UNBOXING_VIDEO', 'VIDEO', 'PODCAST', 'ONLINE_AD', 'REVIEW', 'REVIEW_REQUEST', 'TESTIMONIAL', 'COMPARISON', 'PRODUCT_PAGE', 'LANDING_PAGE', 'FAQ', 'CASE_STUDY', 'CASE_STUDY_INVITATION', 'WHITEPAPER', 'WEBINAR', 'PRODUCT_DEMO', 'OFFER', 'LOYALTY_OFFER', 'REFERRAL_OFFER', 'REFERRAL_PROGRAMME', 'PRICING_PROPOSAL', 'ROI_CALCULATOR', 'SALES_CALL_SCRIPT', 'WELCOME_EMAIL', 'TIPS_EMAIL', 'PERSONAL_EMAIL', 'SERVICE_MESSAGE', 'NEWSLETTER', 'CUSTOMER_NEWSLETTER', 'QUICK_START_GUIDE', 'ONBOARDING_GUIDE', 'MANUAL', 'TRAINING', 'KICK_OFF_CALL', 'ACCOUNT_REVIEW', 'USER_EVENT', 'COMMUNITY_EVENT', 'USER_GENERATED_CONTENT', 'IMAGE', 'OTHER');

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "freshnessDays" INTEGER NOT NULL DEFAULT 365,
    "expiryLookaheadDays" INTEGER NOT NULL DEFAULT 14,
    "silenceDays" INTEGER NOT NULL DEFAULT 30,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JourneyModel" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "template" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JourneyModel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "position" INTEGER NOT NULL,
    "archetype" "Archetype" NOT NULL,
    "scope" "Scope" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "parentId" TEXT,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "market" "Market" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Channel" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "maxPerWeek" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Channel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Touchpoint" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "segmentId" TEXT,
    "name" TEXT NOT NULL,
    "emotion" INTEGER NOT NULL DEFAULT 0,
    "salesOpportunity" BOOLEAN NOT NULL DEFAULT false,
    "device" TEXT,
    "needType" "NeedType",
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Touchpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentPiece" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "format" "ContentFormat" NOT NULL,
    "status" "ContentStatus" NOT NULL DEFAULT 'IDEA',
    "locale" TEXT NOT NULL,
    "url" TEXT,
    "externalId" TEXT,
    "publishAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "reviewAt" TIMESTAMP(3),
    "priority" INTEGER NOT NULL DEFAULT 50,
    "needType" "NeedType",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContentPiece_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentPhase" (
    "pieceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,

    CONSTRAINT "ContentPhase_pkey" PRIMARY KEY ("pieceId","phaseId")
);

-- CreateTable
CREATE TABLE "ContentChannel" (
    "pieceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    CONSTRAINT "ContentChannel_pkey" PRIMARY KEY ("pieceId","channelId")
);

-- CreateTable
CREATE TABLE "ContentSegment" (
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,

    CONSTRAINT "ContentSegment_pkey" PRIMARY KEY ("pieceId","segmentId")
);

-- CreateTable
CREATE TABLE "ContentTouchpoint" (
    "pieceId" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,

    CONSTRAINT "ContentTouchpoint_pkey" PRIMARY KEY ("pieceId","touchpointId")
);

-- CreateTable
CREATE TABLE "CoverageRule" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT,
    "phaseId" TEXT,
    "channelId" TEXT,
    "minLive" INTEGER,
    "notExpected" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CoverageRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_secretHash_key" ON "ApiKey"("secretHash");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_idx" ON "ApiKey"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "JourneyModel_workspaceId_key_key" ON "JourneyModel"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "Phase_journeyId_position_idx" ON "Phase"("journeyId", "position");

-- CreateIndex
CREATE INDEX "Phase_workspaceId_idx" ON "Phase"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "Phase_journeyId_key_key" ON "Phase"("journeyId", "key");

-- CreateIndex
CREATE INDEX "Segment_journeyId_idx" ON "Segment"("journeyId");

-- CreateIndex
CREATE INDEX "Segment_parentId_idx" ON "Segment"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Segment_workspaceId_key_key" ON "Segment"("workspaceId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Channel_workspaceId_key_key" ON "Channel"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "Touchpoint_workspaceId_phaseId_channelId_idx" ON "Touchpoint"("workspaceId", "phaseId", "channelId");

-- CreateIndex
CREATE INDEX "Touchpoint_segmentId_idx" ON "Touchpoint"("segmentId");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_status_publishAt_idx" ON "ContentPiece"("workspaceId", "status", "publishAt");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_publishAt_idx" ON "ContentPiece"("workspaceId", "publishAt");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_expiresAt_idx" ON "ContentPiece"("workspaceId", "expiresAt");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_reviewAt_idx" ON "ContentPiece"("workspaceId", "reviewAt");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_updatedAt_idx" ON "ContentPiece"("workspaceId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContentPiece_workspaceId_externalId_key" ON "ContentPiece"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "ContentPhase_phaseId_pieceId_idx" ON "ContentPhase"("phaseId", "pieceId");

-- CreateIndex
CREATE INDEX "ContentChannel_channelId_pieceId_idx" ON "ContentChannel"("channelId", "pieceId");

-- CreateIndex
CREATE INDEX "ContentSegment_segmentId_pieceId_idx" ON "ContentSegment"("segmentId", "pieceId");

-- CreateIndex
CREATE INDEX "ContentTouchpoint_touchpointId_pieceId_idx" ON "ContentTouchpoint"("touchpointId", "pieceId");

-- CreateIndex
CREATE INDEX "CoverageRule_workspaceId_idx" ON "CoverageRule"("workspaceId");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JourneyModel" ADD CONSTRAINT "JourneyModel_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phase" ADD CONSTRAINT "Phase_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Phase" ADD CONSTRAINT "Phase_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "JourneyModel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "JourneyModel"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Segment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Channel" ADD CONSTRAINT "Channel_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Touchpoint" ADD CONSTRAINT "Touchpoint_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentPiece" ADD CONSTRAINT "ContentPiece_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentPhase" ADD CONSTRAINT "ContentPhase_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentPhase" ADD CONSTRAINT "ContentPhase_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentChannel" ADD CONSTRAINT "ContentChannel_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentChannel" ADD CONSTRAINT "ContentChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentSegment" ADD CONSTRAINT "ContentSegment_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentSegment" ADD CONSTRAINT "ContentSegment_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTouchpoint" ADD CONSTRAINT "ContentTouchpoint_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentTouchpoint" ADD CONSTRAINT "ContentTouchpoint_touchpointId_fkey" FOREIGN KEY ("touchpointId") REFERENCES "Touchpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageRule" ADD CONSTRAINT "CoverageRule_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageRule" ADD CONSTRAINT "CoverageRule_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageRule" ADD CONSTRAINT "CoverageRule_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoverageRule" ADD CONSTRAINT "CoverageRule_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
