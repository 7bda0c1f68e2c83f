-- CreateTable
CREATE TABLE "WorkspaceVersion" (
    "workspaceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "WorkspaceVersion_pkey" PRIMARY KEY ("workspaceId")
);
