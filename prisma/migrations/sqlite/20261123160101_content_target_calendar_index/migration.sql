-- CreateIndex
CREATE INDEX "ContentTarget_calendar_idx" ON "ContentTarget"("workspaceId", "status", "publishAt", "channelId", "segmentId", "phaseId", "pieceId");
