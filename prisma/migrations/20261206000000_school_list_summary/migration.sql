-- Issue 14, deadline night and results night.
-- Each high school's admission-list summary, written once at each publication
-- (round 1, then 补录 rewrites the cycle's rows) in the publishing transaction.

-- CreateTable
CREATE TABLE "SchoolListSummary" (
    "cycleId" TEXT NOT NULL,
    "highSchoolId" TEXT NOT NULL,
    "mainRoundId" TEXT NOT NULL,
    "supplementaryRoundId" TEXT,
    "summary" JSONB NOT NULL,
    "writtenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchoolListSummary_pkey" PRIMARY KEY ("cycleId","highSchoolId")
);

-- CreateIndex
CREATE INDEX "SchoolListSummary_mainRoundId_idx" ON "SchoolListSummary"("mainRoundId");

-- AddForeignKey
ALTER TABLE "SchoolListSummary" ADD CONSTRAINT "SchoolListSummary_mainRoundId_fkey" FOREIGN KEY ("mainRoundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Saves of choices are no longer appended to the audit hash chain (one global
-- lock held through every save's commit); the audit log reads them from
-- ApplicationVersion, newest first and by who saved.

-- CreateIndex
CREATE INDEX "ApplicationVersion_savedAt_idx" ON "ApplicationVersion"("savedAt");

-- CreateIndex
CREATE INDEX "ApplicationVersion_savedBy_idx" ON "ApplicationVersion"("savedBy");
