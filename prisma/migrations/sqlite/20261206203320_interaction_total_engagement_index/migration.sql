-- DropIndex
DROP INDEX "InteractionTotal_workspaceId_segmentId_phaseId_channelId_idx";

-- CreateIndex
CREATE INDEX "InteractionTotal_engagement_idx" ON "InteractionTotal"("workspaceId", "segmentId", "phaseId", "channelId", "pieceId", "impressions", "clicks", "downloads", "shares", "conversions");
