-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CoverageRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT,
    "phaseId" TEXT,
    "channelId" TEXT,
    "minLive" INTEGER,
    "notExpected" BOOLEAN NOT NULL DEFAULT false,
    "countCrosswalk" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CoverageRule_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoverageRule_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CoverageRule" ("channelId", "createdAt", "id", "minLive", "notExpected", "phaseId", "segmentId", "updatedAt", "workspaceId") SELECT "channelId", "createdAt", "id", "minLive", "notExpected", "phaseId", "segmentId", "updatedAt", "workspaceId" FROM "CoverageRule";
DROP TABLE "CoverageRule";
ALTER TABLE "new_CoverageRule" RENAME TO "CoverageRule";
CREATE INDEX "CoverageRule_workspaceId_idx" ON "CoverageRule"("workspaceId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
