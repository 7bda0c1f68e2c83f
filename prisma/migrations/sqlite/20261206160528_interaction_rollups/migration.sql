-- CreateTable
CREATE TABLE "InteractionDay" (
    "workspaceId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("pieceId", "segmentId", "phaseId", "channelId", "type", "day"),
    CONSTRAINT "InteractionDay_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InteractionDay_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InteractionTotal" (
    "workspaceId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "impressions" INTEGER NOT NULL DEFAULT 0,
    "views" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "downloads" INTEGER NOT NULL DEFAULT 0,
    "shares" INTEGER NOT NULL DEFAULT 0,
    "conversions" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("pieceId", "segmentId", "phaseId", "channelId"),
    CONSTRAINT "InteractionTotal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InteractionTotal_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InteractionDay_workspaceId_segmentId_phaseId_channelId_day_idx" ON "InteractionDay"("workspaceId", "segmentId", "phaseId", "channelId", "day");

-- CreateIndex
CREATE INDEX "InteractionDay_workspaceId_day_idx" ON "InteractionDay"("workspaceId", "day");

-- CreateIndex
CREATE INDEX "InteractionTotal_workspaceId_segmentId_phaseId_channelId_idx" ON "InteractionTotal"("workspaceId", "segmentId", "phaseId", "channelId");
