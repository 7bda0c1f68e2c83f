-- CreateIndex
CREATE INDEX "InteractionStep_paths_idx" ON "InteractionStep"("workspaceId", "segmentId", "day", "fromTouchpointId", "toTouchpointId", "bucket", "count");
