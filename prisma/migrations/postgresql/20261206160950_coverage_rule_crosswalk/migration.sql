-- AlterTable
ALTER TABLE "CoverageRule" ADD COLUMN     "countCrosswalk" BOOLEAN NOT NULL DEFAULT false;
