-- CreateTable
CREATE TABLE "ReportToken" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ReportToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReportToken_tokenHash_key" ON "ReportToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ReportToken_workspaceId_idx" ON "ReportToken"("workspaceId");

-- AddForeignKey
ALTER TABLE "ReportToken" ADD CONSTRAINT "ReportToken_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
