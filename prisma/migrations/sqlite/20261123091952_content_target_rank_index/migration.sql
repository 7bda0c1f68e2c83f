-- DropIndex
DROP INDEX "ContentTarget_phaseId_channelId_segmentId_status_priority_freshAt_publishAt_expiresAt_locale_idx";

-- CreateIndex
CREATE INDEX "ContentTarget_rank_idx" ON "ContentTarget"("phaseId", "channelId", "segmentId", "status", "priority", "freshAt", "pieceId", "publishAt", "expiresAt", "locale");
