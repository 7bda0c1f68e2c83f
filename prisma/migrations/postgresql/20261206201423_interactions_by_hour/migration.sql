-- DropIndex
DROP INDEX "Interaction_occurredAt_idx";

-- DropIndex
DROP INDEX "InteractionSession_occurredAt_idx";

-- AlterTable (existing rows get the hour of their instant, stored as UTC)
ALTER TABLE "Interaction" ADD COLUMN     "occurredHour" INTEGER;
UPDATE "Interaction" SET "occurredHour" = floor(extract(epoch FROM "occurredAt") / 3600)::integer;
ALTER TABLE "Interaction" ALTER COLUMN "occurredHour" SET NOT NULL;

-- AlterTable (existing rows get the hour of their instant, stored as UTC)
ALTER TABLE "InteractionSession" ADD COLUMN     "occurredHour" INTEGER;
UPDATE "InteractionSession" SET "occurredHour" = floor(extract(epoch FROM "occurredAt") / 3600)::integer;
ALTER TABLE "InteractionSession" ALTER COLUMN "occurredHour" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Interaction_occurredHour_idx" ON "Interaction"("occurredHour");

-- CreateIndex
CREATE INDEX "InteractionSession_occurredHour_idx" ON "InteractionSession"("occurredHour");
