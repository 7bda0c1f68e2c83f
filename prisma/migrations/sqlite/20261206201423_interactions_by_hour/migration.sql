-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Interaction" (
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
    "occurredHour" INTEGER NOT NULL,
    "visitorHash" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,
    CONSTRAINT "Interaction_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Instants are epoch milliseconds on SQLite (db/adapter.ts): the hour is their integer part of 3,600,000.
INSERT INTO "new_Interaction" ("channelId", "clientEventId", "device", "id", "occurredAt", "occurredHour", "phaseId", "pieceId", "segmentId", "sessionHash", "touchpointId", "type", "visitorHash", "workspaceId") SELECT "channelId", "clientEventId", "device", "id", "occurredAt", CAST("occurredAt" / 3600000 AS INTEGER), "phaseId", "pieceId", "segmentId", "sessionHash", "touchpointId", "type", "visitorHash", "workspaceId" FROM "Interaction";
DROP TABLE "Interaction";
ALTER TABLE "new_Interaction" RENAME TO "Interaction";
CREATE INDEX "Interaction_occurredHour_idx" ON "Interaction"("occurredHour");
CREATE UNIQUE INDEX "Interaction_workspaceId_clientEventId_key" ON "Interaction"("workspaceId", "clientEventId");
CREATE TABLE "new_InteractionSession" (
    "workspaceId" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "occurredHour" INTEGER NOT NULL,

    PRIMARY KEY ("workspaceId", "sessionHash"),
    CONSTRAINT "InteractionSession_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_InteractionSession" ("occurredAt", "occurredHour", "sessionHash", "touchpointId", "workspaceId") SELECT "occurredAt", CAST("occurredAt" / 3600000 AS INTEGER), "sessionHash", "touchpointId", "workspaceId" FROM "InteractionSession";
DROP TABLE "InteractionSession";
ALTER TABLE "new_InteractionSession" RENAME TO "InteractionSession";
CREATE INDEX "InteractionSession_occurredHour_idx" ON "InteractionSession"("occurredHour");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
