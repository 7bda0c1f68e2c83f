-- CreateEnum
CREATE TYPE "ScenarioChangeKind" AS ENUM ('ARCHIVE', 'MOVE');

-- CreateTable
CREATE TABLE "Scenario" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Scenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioPiece" (
    "id" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "format" "ContentFormat" NOT NULL,
    "status" "ContentStatus" NOT NULL DEFAULT 'IDEA',
    "locale" TEXT NOT NULL,
    "publishAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "reviewAt" TIMESTAMP(3),
    "priority" INTEGER NOT NULL DEFAULT 50,
    "needType" "NeedType",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScenarioPiece_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioPiecePhase" (
    "pieceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,

    CONSTRAINT "ScenarioPiecePhase_pkey" PRIMARY KEY ("pieceId","phaseId")
);

-- CreateTable
CREATE TABLE "ScenarioPieceChannel" (
    "pieceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    CONSTRAINT "ScenarioPieceChannel_pkey" PRIMARY KEY ("pieceId","channelId")
);

-- CreateTable
CREATE TABLE "ScenarioPieceSegment" (
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,

    CONSTRAINT "ScenarioPieceSegment_pkey" PRIMARY KEY ("pieceId","segmentId")
);

-- CreateTable
CREATE TABLE "ScenarioPieceTouchpoint" (
    "pieceId" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,

    CONSTRAINT "ScenarioPieceTouchpoint_pkey" PRIMARY KEY ("pieceId","touchpointId")
);

-- CreateTable
CREATE TABLE "ScenarioChange" (
    "id" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "kind" "ScenarioChangeKind" NOT NULL,
    "publishAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScenarioChange_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "Scenario" ADD CONSTRAINT "Scenario_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPiece" ADD CONSTRAINT "ScenarioPiece_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPiecePhase" ADD CONSTRAINT "ScenarioPiecePhase_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPiecePhase" ADD CONSTRAINT "ScenarioPiecePhase_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceChannel" ADD CONSTRAINT "ScenarioPieceChannel_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceChannel" ADD CONSTRAINT "ScenarioPieceChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceSegment" ADD CONSTRAINT "ScenarioPieceSegment_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceSegment" ADD CONSTRAINT "ScenarioPieceSegment_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceTouchpoint" ADD CONSTRAINT "ScenarioPieceTouchpoint_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ScenarioPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioPieceTouchpoint" ADD CONSTRAINT "ScenarioPieceTouchpoint_touchpointId_fkey" FOREIGN KEY ("touchpointId") REFERENCES "Touchpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioChange" ADD CONSTRAINT "ScenarioChange_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioChange" ADD CONSTRAINT "ScenarioChange_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;
