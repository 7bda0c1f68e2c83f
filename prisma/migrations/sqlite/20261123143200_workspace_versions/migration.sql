-- CreateTable
CREATE TABLE "WorkspaceVersion" (
    "workspaceId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0
);
