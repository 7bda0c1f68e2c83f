-- CreateEnum
CREATE TYPE "InteractionType" AS ENUM ('IMPRESSION', 'VIEW', 'CLICK', 'DOWNLOAD', 'SHARE', 'CONVERSION');

-- CreateTable
CREATE TABLE "InteractionDay" (
    "workspaceId" TEXT NOT NULL,
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "type" "InteractionType" NOT NULL,
    "day" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "InteractionDay_pkey" PRIMARY KEY ("pieceId","segmentId","phaseId","channelId","type","day")
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

    CONSTRAINT "InteractionTotal_pkey" PRIMARY KEY ("pieceId","segmentId","phaseId","channelId")
);

-- CreateIndex
CREATE INDEX "InteractionDay_workspaceId_segmentId_phaseId_channelId_day_idx" ON "InteractionDay"("workspaceId", "segmentId", "phaseId", "channelId", "day");

-- CreateIndex
CREATE INDEX "InteractionDay_workspaceId_day_idx" ON "InteractionDay"("workspaceId", "day");

-- CreateIndex
CREATE INDEX "InteractionTotal_workspaceId_segmentId_phaseId_channelId_idx" ON "InteractionTotal"("workspaceId", "segmentId", "phaseId", "channelId");

-- AddForeignKey
ALTER TABLE "InteractionDay" ADD CONSTRAINT "InteractionDay_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionDay" ADD CONSTRAINT "InteractionDay_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionTotal" ADD CONSTRAINT "InteractionTotal_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionTotal" ADD CONSTRAINT "InteractionTotal_pieceId_fkey" FOREIGN KEY ("pieceId") REFERENCES "ContentPiece"("id") ON DELETE CASCADE ON UPDATE CASCADE;
