-- CreateTable
CREATE TABLE "Interaction" (
    "id" SERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "clientEventId" TEXT NOT NULL,
    "type" "InteractionType" NOT NULL,
    "pieceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "phaseId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "touchpointId" TEXT,
    "device" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "visitorHash" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InteractionSecret" (
    "workspaceId" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InteractionSecret_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "InteractionSession" (
    "workspaceId" TEXT NOT NULL,
    "sessionHash" TEXT NOT NULL,
    "touchpointId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InteractionSession_pkey" PRIMARY KEY ("workspaceId","sessionHash")
);

-- CreateTable
CREATE TABLE "InteractionStep" (
    "workspaceId" TEXT NOT NULL,
    "segmentId" TEXT NOT NULL,
    "fromTouchpointId" TEXT NOT NULL,
    "toTouchpointId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "InteractionStep_pkey" PRIMARY KEY ("workspaceId","segmentId","day","fromTouchpointId","toTouchpointId","bucket")
);

-- CreateIndex
CREATE INDEX "Interaction_occurredAt_idx" ON "Interaction"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_workspaceId_clientEventId_key" ON "Interaction"("workspaceId", "clientEventId");

-- CreateIndex
CREATE INDEX "InteractionSession_occurredAt_idx" ON "InteractionSession"("occurredAt");

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionSecret" ADD CONSTRAINT "InteractionSecret_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionSession" ADD CONSTRAINT "InteractionSession_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InteractionStep" ADD CONSTRAINT "InteractionStep_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
