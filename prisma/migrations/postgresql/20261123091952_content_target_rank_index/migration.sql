-- DropIndex
DROP INDEX "ContentTarget_phaseId_channelId_segmentId_status_priority_f_idx";

-- CreateIndex
CREATE INDEX "ContentTarget_rank_idx" ON "ContentTarget"("phaseId", "channelId", "segmentId", "status", "priority", "freshAt", "pieceId", "publishAt", "expiresAt", "locale");
