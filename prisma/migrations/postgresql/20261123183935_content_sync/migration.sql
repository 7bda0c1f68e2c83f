-- CreateEnum
CREATE TYPE "SyncMissingAction" AS ENUM ('ARCHIVE', 'DELETE');

-- AlterTable
ALTER TABLE "ContentPiece" ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "ContentSync" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "onMissing" "SyncMissingAction" NOT NULL DEFAULT 'ARCHIVE',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ContentSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentSyncSeen" (
    "syncId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,

    CONSTRAINT "ContentSyncSeen_pkey" PRIMARY KEY ("syncId","pieceId")
);

-- CreateIndex
CREATE INDEX "ContentSync_workspaceId_source_completedAt_idx" ON "ContentSync"("workspaceId", "source", "completedAt");

-- CreateIndex
CREATE INDEX "ContentSyncSeen_pieceId_idx" ON "ContentSyncSeen"("pieceId");

-- CreateIndex
CREATE INDEX "ContentPiece_workspaceId_source_idx" ON "ContentPiece"("workspaceId", "source");

-- AddForeignKey
ALTER TABLE "ContentSync" ADD CONSTRAINT "ContentSync_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentSyncSeen" ADD CONSTRAINT "ContentSyncSeen_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "ContentSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContentSyncSeen" ADD CONSTRAINT "ContentSyncSeen_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;
