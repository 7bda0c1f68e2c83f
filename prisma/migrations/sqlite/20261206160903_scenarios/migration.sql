-- CreateTable
CREATE TABLE "Scenario" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Scenario_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioPiece" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scenarioId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "format" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'IDEA',
    "locale" TEXT NOT NULL,
    "publishAt" DATETIME,
    "expiresAt" DATETIME,
    "reviewAt" DATETIME,
    "priority" INTEGER NOT NULL DEFAULT 50,
    "needType" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScenarioPiece_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioPiecePhase" (
    "pieceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "phaseId"),
    CONSTRAINT "ScenarioPiecePhase_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScenarioPiecePhase_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioPieceChannel" (
    "pieceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "channelId"),
    CONSTRAINT "ScenarioPieceChannel_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScenarioPieceChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioPieceSegment" (
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "segmentId"),
    CONSTRAINT "ScenarioPieceSegment_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScenarioPieceSegment_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioPieceTouchpoint" (
    "pieceId" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,

    PRIMARY KEY ("pieceId", "touchpointId"),
    CONSTRAINT "ScenarioPieceTouchpoint_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScenarioPieceTouchpoint_touchpointId_fkey" FOREIGN KEY ("touchpointId") REFERENCES "Touchpoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ScenarioChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scenarioId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "publishAt" DATETIME,
    "expiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScenarioChange_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ScenarioChange_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Scenario_workspaceId_name_key" ON "Scenario"("workspaceId", "name");

-- CreateIndex
CREATE INDEX "ScenarioPiece_scenarioId_idx" ON "ScenarioPiece"("scenarioId");

-- CreateIndex
CREATE INDEX "ScenarioPiece_workspaceId_idx" ON "ScenarioPiece"("workspaceId");

-- CreateIndex
CREATE INDEX "ScenarioPiecePhase_phaseId_idx" ON "ScenarioPiecePhase"("phaseId");

-- CreateIndex
CREATE INDEX "ScenarioPieceChannel_channelId_idx" ON "ScenarioPieceChannel"("channelId");

-- CreateIndex
CREATE INDEX "ScenarioPieceSegment_segmentId_idx" ON "ScenarioPieceSegment"("segmentId");

-- CreateIndex
CREATE INDEX "ScenarioPieceTouchpoint_touchpointId_idx" ON "ScenarioPieceTouchpoint"("touchpointId");

-- CreateIndex
CREATE INDEX "ScenarioChange_pieceId_idx" ON "ScenarioChange"("pieceId");

-- CreateIndex
CREATE INDEX "ScenarioChange_workspaceId_idx" ON "ScenarioChange"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioChange_scenarioId_pieceId_key" ON "ScenarioChange"("scenarioId", "pieceId");
