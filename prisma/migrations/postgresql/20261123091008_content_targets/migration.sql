-- CreateTable
CREATE TABLE "ContentTarget" (
    "pieceId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "status" "ContentStatus" NOT NULL,
    "locale" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "freshAt" TIMESTAMP(3) NOT NULL,
    "publishAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "ContentTarget_pkey" PRIMARY KEY ("phaseId","channelId","segmentId","pieceId")
);

-- CreateIndex
CREATE INDEX "ContentTarget_phaseId_channelId_segmentId_status_priority_f_idx" ON "ContentTarget"("phaseId", "channelId", "segmentId", "status", "priority", "freshAt", "publishAt", "expiresAt", "locale");

-- CreateIndex
CREATE INDEX "ContentTarget_pieceId_idx" ON "ContentTarget"("pieceId");

-- CreateIndex
CREATE INDEX "ContentTarget_workspaceId_idx" ON "ContentTarget"("workspaceId");

-- AddForeignKey
ALTER TABLE "ContentTarget" ADD CONSTRAINT "ContentTarget_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the read model of every existing piece (src/content/targets.ts keeps it current).
INSERT INTO "ContentTarget" ("pieceId", "workspaceId", "phaseId", "channelId", "segmentId", "status", "locale", "priority", "freshAt", "publishAt", "expiresAt")
SELECT p."id", p."workspaceId", cp."phaseId", cc."channelId", COALESCE(cs."segmentId", ''), p."status", p."locale", p."priority",
       COALESCE(p."publishAt", p."updatedAt"), p."publishAt", p."expiresAt"
  FROM "ContentPiece" p
  JOIN "ContentPhase" cp ON cp."pieceId" = p."id"
  JOIN "ContentChannel" cc ON cc."pieceId" = p."id"
  LEFT JOIN "ContentSegment" cs ON cs."pieceId" = p."id";
