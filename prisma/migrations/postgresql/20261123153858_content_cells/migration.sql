-- AlterTable
ALTER TABLE "ContentTarget" ADD COLUMN     "reviewAt" TIMESTAMP(3),
ADD COLUMN     "updatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ContentCell" (
    "workspaceId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "idea" INTEGER NOT NULL DEFAULT 0,
    "draft" INTEGER NOT NULL DEFAULT 0,
    "inReview" INTEGER NOT NULL DEFAULT 0,
    "scheduled" INTEGER NOT NULL DEFAULT 0,
    "published" INTEGER NOT NULL DEFAULT 0,
    "archived" INTEGER NOT NULL DEFAULT 0,
    "live" INTEGER NOT NULL DEFAULT 0,
    "liveFresh" INTEGER NOT NULL DEFAULT 0,
    "liveAtHorizon" INTEGER NOT NULL DEFAULT 0,
    "asOf" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "freshnessDays" INTEGER NOT NULL,
    "lookaheadDays" INTEGER NOT NULL,

    CONSTRAINT "ContentCell_pkey" PRIMARY KEY ("phaseId","channelId","segmentId")
);

-- CreateIndex
CREATE INDEX "ContentCell_workspaceId_idx" ON "ContentCell"("workspaceId");

-- AddForeignKey
ALTER TABLE "ContentCell" ADD CONSTRAINT "ContentCell_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentCell" ADD CONSTRAINT "ContentCell_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentCell" ADD CONSTRAINT "ContentCell_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the new ContentTarget columns from their pieces, and one ContentCell per cell with content,
-- its status counts, and its clock-dependent counts marked out of date (validUntil at the epoch), so
-- the first matrix that reads it counts them and keeps them.
UPDATE "ContentTarget" t SET "reviewAt" = p."reviewAt", "updatedAt" = p."updatedAt"
  FROM "ContentPiece" p WHERE p."id" = t."pieceId";

INSERT INTO "ContentCell" ("workspaceId", "phaseId", "channelId", "segmentId", "idea", "draft", "inReview", "scheduled", "published", "archived", "asOf", "validUntil", "freshnessDays", "lookaheadDays")
SELECT MIN(t."workspaceId"), t."phaseId", t."channelId", t."segmentId",
       COUNT(*) FILTER (WHERE t."status" = 'IDEA'), COUNT(*) FILTER (WHERE t."status" = 'DRAFT'),
       COUNT(*) FILTER (WHERE t."status" = 'IN_REVIEW'), COUNT(*) FILTER (WHERE t."status" = 'SCHEDULED'),
       COUNT(*) FILTER (WHERE t."status" = 'PUBLISHED'), COUNT(*) FILTER (WHERE t."status" = 'ARCHIVED'),
       TIMESTAMP 'epoch', TIMESTAMP 'epoch', -1, -1
  FROM "ContentTarget" t
 GROUP BY t."phaseId", t."channelId", t."segmentId";
