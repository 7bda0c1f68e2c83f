-- CreateTable
CREATE TABLE "Interaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" TEXT NOT NULL,
    "clientEventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "touchpointId" TEXT,
    "device" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "visitorHash" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,
    CONSTRAINT "Interaction_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InteractionSecret" (
    "workspaceId" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InteractionSecret_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InteractionSession" (
    "workspaceId" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,

    PRIMARY KEY ("workspaceId", "sessionHash"),
    CONSTRAINT "InteractionSession_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InteractionStep" (
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "fromTouchpointId" TEXT NOT NULL,
    "toTouchpointId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("workspaceId", "segmentId", "day", "fromTouchpointId", "toTouchpointId", "bucket"),
    CONSTRAINT "InteractionStep_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Interaction_occurredAt_idx" ON "Interaction"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_workspaceId_clientEventId_key" ON "Interaction"("workspaceId", "clientEventId");

-- CreateIndex
CREATE INDEX "InteractionSession_occurredAt_idx" ON "InteractionSession"("occurredAt");
