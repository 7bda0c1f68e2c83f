-- AlterTable
ALTER TABLE "ContentPiece" ADD COLUMN "source" TEXT;

-- CreateTable
CREATE TABLE "ContentSync" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "onMissing" TEXT NOT NULL DEFAULT 'ARCHIVE',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "ContentSync_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContentSyncSeen" (
    "syncId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,

    PRIMARY KEY ("syncId", "pieceId"),
    CONSTRAINT "ContentSyncSeen_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "ContentSync" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContentSyncSeen_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ContentSync_workspaceId_source_completedAt_idx" ON "ContentSync"("workspaceId", "source", "completedAt");

-- CreateIndex
CREATE INDEX "ContentSyncSeen_pieceId_idx" ON "ContentSyncSeen"("pieceId");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_source_idx" ON "ContentPiece"("workspaceId", "source");
