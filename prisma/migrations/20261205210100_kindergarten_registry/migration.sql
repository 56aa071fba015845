-- CreateEnum
CREATE TYPE "KindergartenNature" AS ENUM ('public', 'puhui_private', 'private');

-- CreateEnum
CREATE TYPE "KindergartenFilingStatus" AS ENUM ('pending', 'approved', 'returned');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FlagRule" ADD VALUE 'kindergarten_name';
ALTER TYPE "FlagRule" ADD VALUE 'kindergarten_staffing';
ALTER TYPE "FlagRule" ADD VALUE 'kindergarten_safety';
ALTER TYPE "FlagRule" ADD VALUE 'kindergarten_fee_account';

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'kindergarten';

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "kindergartenId" TEXT;

-- CreateTable
CREATE TABLE "Kindergarten" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "nature" "KindergartenNature" NOT NULL,
    "openedOn" DATE,
    "grade" TEXT NOT NULL,
    "licenceNumber" TEXT NOT NULL,
    "classes" INTEGER NOT NULL,
    "children" INTEGER NOT NULL,
    "headName" TEXT NOT NULL,
    "headQualification" TEXT NOT NULL,
    "staff" JSONB NOT NULL,
    "fees" JSONB NOT NULL,
    "feeMonthlyMin" INTEGER,
    "feeAccount" TEXT,
    "evaluations" JSONB NOT NULL,
    "inspections" JSONB NOT NULL,
    "dangerousBuilding" BOOLEAN NOT NULL DEFAULT false,
    "civilDefence" BOOLEAN NOT NULL DEFAULT true,
    "physicalDefence" BOOLEAN NOT NULL DEFAULT true,
    "technicalDefence" BOOLEAN NOT NULL DEFAULT true,
    "rectifyBy" DATE,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Kindergarten_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KindergartenVersion" (
    "id" TEXT NOT NULL,
    "kindergartenId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "record" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "filingId" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KindergartenVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KindergartenFiling" (
    "id" TEXT NOT NULL,
    "kindergartenId" TEXT NOT NULL,
    "status" "KindergartenFilingStatus" NOT NULL DEFAULT 'pending',
    "changes" JSONB NOT NULL,
    "note" TEXT,
    "reviewNote" TEXT,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedBy" TEXT NOT NULL,
    "reviewedAt" TIMESTAMP(3),
    "reviewedBy" TEXT,

    CONSTRAINT "KindergartenFiling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PreschoolPopulation" (
    "regionCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "children" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PreschoolPopulation_pkey" PRIMARY KEY ("regionCode","year")
);

-- CreateIndex
CREATE INDEX "Kindergarten_regionCode_idx" ON "Kindergarten"("regionCode");

-- CreateIndex
CREATE INDEX "Kindergarten_nature_idx" ON "Kindergarten"("nature");

-- CreateIndex
CREATE UNIQUE INDEX "KindergartenVersion_kindergartenId_version_key" ON "KindergartenVersion"("kindergartenId", "version");

-- CreateIndex
CREATE INDEX "KindergartenFiling_kindergartenId_status_idx" ON "KindergartenFiling"("kindergartenId", "status");

-- CreateIndex
CREATE INDEX "KindergartenFiling_status_submittedAt_idx" ON "KindergartenFiling"("status", "submittedAt");

-- AddForeignKey
ALTER TABLE "Kindergarten" ADD CONSTRAINT "Kindergarten_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KindergartenVersion" ADD CONSTRAINT "KindergartenVersion_kindergartenId_fkey" FOREIGN KEY ("kindergartenId") REFERENCES "Kindergarten"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KindergartenFiling" ADD CONSTRAINT "KindergartenFiling_kindergartenId_fkey" FOREIGN KEY ("kindergartenId") REFERENCES "Kindergarten"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PreschoolPopulation" ADD CONSTRAINT "PreschoolPopulation_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

