-- CreateTable
CREATE TABLE "InteractionCell" (
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "views" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "downloads" INTEGER NOT NULL DEFAULT 0,
    "shares" INTEGER NOT NULL DEFAULT 0,
    "conversions" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("workspaceId", "segmentId", "phaseId", "channelId"),
    CONSTRAINT "InteractionCell_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Backfill: each cell's sum of the roll-ups already kept.
INSERT INTO "InteractionCell" ("workspaceId", "segmentId", "phaseId", "channelId", "impressions", "views", "clicks", "downloads", "shares", "conversions")
SELECT "workspaceId", "segmentId", "phaseId", "channelId", SUM("impressions"), SUM("views"), SUM("clicks"), SUM("downloads"), SUM("shares"), SUM("conversions")
  FROM "InteractionTotal"
 GROUP BY "workspaceId", "segmentId", "phaseId", "channelId";
