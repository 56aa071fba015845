-- AlterTable
ALTER TABLE "User" ADD COLUMN     "activatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CycleRegion" (
    "cycleId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "adminCode" TEXT,
    "rural" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CycleRegion_pkey" PRIMARY KEY ("cycleId","code")
);

-- CreateTable
CREATE TABLE "CycleJuniorSchool" (
    "cycleId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "graduates" INTEGER NOT NULL,
    "rural" BOOLEAN NOT NULL DEFAULT false,
    "weightPercent" INTEGER NOT NULL DEFAULT 100,

    CONSTRAINT "CycleJuniorSchool_pkey" PRIMARY KEY ("cycleId","id")
);

-- CreateTable
CREATE TABLE "CycleHighSchool" (
    "cycleId" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "ownership" "Ownership" NOT NULL,
    "scope" "Scope" NOT NULL,
    "quality" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "CycleHighSchool_pkey" PRIMARY KEY ("cycleId","id")
);

-- CreateTable
CREATE TABLE "ActivationCode" (
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "issuedBy" TEXT,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivationCode_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE INDEX "CycleJuniorSchool_cycleId_regionCode_idx" ON "CycleJuniorSchool"("cycleId", "regionCode");

-- CreateIndex
CREATE INDEX "CycleHighSchool_cycleId_regionCode_idx" ON "CycleHighSchool"("cycleId", "regionCode");

-- CreateIndex
CREATE UNIQUE INDEX "ActivationCode_codeHash_key" ON "ActivationCode"("codeHash");

-- CreateIndex
CREATE INDEX "ActivationCode_expiresAt_idx" ON "ActivationCode"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Student_cycleId_idCardNo_key" ON "Student"("cycleId", "idCardNo");

-- AddForeignKey
ALTER TABLE "CycleRegion" ADD CONSTRAINT "CycleRegion_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CycleJuniorSchool" ADD CONSTRAINT "CycleJuniorSchool_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CycleHighSchool" ADD CONSTRAINT "CycleHighSchool_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivationCode" ADD CONSTRAINT "ActivationCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: every existing cycle keeps the names and attributes the schools have now.
INSERT INTO "CycleRegion" ("cycleId", "code", "name", "nameEn", "adminCode", "rural")
  SELECT c.id, r.code, r.name, r."nameEn", r."adminCode", r.rural FROM "Cycle" c CROSS JOIN "Region" r;
INSERT INTO "CycleJuniorSchool" ("cycleId", "id", "name", "regionCode", "graduates", "rural", "weightPercent")
  SELECT c.id, j.id, j.name, j."regionCode", j.graduates, j.rural, j."weightPercent" FROM "Cycle" c CROSS JOIN "JuniorSchool" j;
INSERT INTO "CycleHighSchool" ("cycleId", "id", "name", "regionCode", "ownership", "scope", "quality")
  SELECT c.id, h.id, h.name, h."regionCode", h.ownership, h.scope, h.quality FROM "Cycle" c CROSS JOIN "HighSchool" h;
