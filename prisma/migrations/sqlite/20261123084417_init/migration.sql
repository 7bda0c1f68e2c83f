-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "freshnessDays" INTEGER NOT NULL DEFAULT 365,
    "expiryLookaheadDays" INTEGER NOT NULL DEFAULT 14,
    "silenceDays" INTEGER NOT NULL DEFAULT 30,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JourneyModel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "template" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "JourneyModel_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "position" INTEGER NOT NULL,
    "archetype" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Phase_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Phase_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "JourneyModel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "parentId" TEXT,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "market" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Segment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Segment_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "JourneyModel" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Segment_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Segment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Channel" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "maxPerWeek" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Channel_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Touchpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "segmentId" TEXT,
    "name" TEXT NOT NULL,
    "emotion" INTEGER NOT NULL DEFAULT 0,
    "salesOpportunity" BOOLEAN NOT NULL DEFAULT false,
    "device" TEXT,
    "needType" TEXT,
    "notes" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Touchpoint_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Touchpoint_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Touchpoint_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Touchpoint_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentPiece" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'IDEA',
    "locale" TEXT NOT NULL,
    "url" TEXT,
    "externalId" TEXT,
    "publishAt" DATETIME,
    "expiresAt" DATETIME,
    "reviewAt" DATETIME,
    "priority" INTEGER NOT NULL DEFAULT 50,
    "needType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ContentPiece_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentPhase" (
    "pieceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "phaseId"),
    CONSTRAINT "ContentPhase_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentPhase_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentChannel" (
    "pieceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "channelId"),
    CONSTRAINT "ContentChannel_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentSegment" (
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "segmentId"),
    CONSTRAINT "ContentSegment_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentSegment_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentTouchpoint" (
    "pieceId" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "touchpointId"),
    CONSTRAINT "ContentTouchpoint_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentTouchpoint_touchpointId_fkey" FOREIGN KEY ("touchpointId") REFERENCES "Touchpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CoverageRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT,
    "phaseId" TEXT,
    "channelId" TEXT,
    "minLive" INTEGER,
    "notExpected" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CoverageRule_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
