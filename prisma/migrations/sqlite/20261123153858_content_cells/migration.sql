-- AlterTable
ALTER TABLE "ContentTarget" ADD COLUMN "reviewAt" DATETIME;
ALTER TABLE "ContentTarget" ADD COLUMN "updatedAt" DATETIME;

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
    "asOf" DATETIME NOT NULL,
    "validUntil" DATETIME NOT NULL,
    "freshnessDays" INTEGER NOT NULL,
    "lookaheadDays" INTEGER NOT NULL,

    PRIMARY KEY ("phaseId", "channelId", "segmentId"),
    CONSTRAINT "ContentCell_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentCell_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentCell_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ContentCell_workspaceId_idx" ON "ContentCell"("workspaceId");

-- Backfill: the new ContentTarget columns from their pieces, and one ContentCell per cell with content,
-- its status counts, and its clock-dependent counts marked out of date (validUntil 0), so the first
-- matrix that reads it counts them and keeps them.
UPDATE "ContentTarget" SET
  "reviewAt" = (SELECT p."reviewAt" FROM "ContentPiece" p WHERE p."id" = "ContentTarget"."pieceId"),
  "updatedAt" = (SELECT p."updatedAt" FROM "ContentPiece" p WHERE p."id" = "ContentTarget"."pieceId");

INSERT INTO "ContentCell" ("workspaceId", "phaseId", "channelId", "segmentId", "idea", "draft", "inReview", "scheduled", "published", "archived", "asOf", "validUntil", "freshnessDays", "lookaheadDays")
SELECT MIN(t."workspaceId"), t."phaseId", t."channelId", t."segmentId",
       SUM(CASE WHEN t."status" = 'IDEA' THEN 1 ELSE 0 END), SUM(CASE WHEN t."status" = 'DRAFT' THEN 1 ELSE 0 END),
       SUM(CASE WHEN t."status" = 'IN_REVIEW' THEN 1 ELSE 0 END), SUM(CASE WHEN t."status" = 'SCHEDULED' THEN 1 ELSE 0 END),
       SUM(CASE WHEN t."status" = 'PUBLISHED' THEN 1 ELSE 0 END), SUM(CASE WHEN t."status" = 'ARCHIVED' THEN 1 ELSE 0 END),
       0, 0, -1, -1
  FROM "ContentTarget" t
 GROUP BY t."phaseId", t."channelId", t."segmentId";
