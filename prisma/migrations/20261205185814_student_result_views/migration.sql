-- CreateTable
CREATE TABLE "StudentResultView" (
    "studentId" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "mainRoundId" TEXT NOT NULL,
    "supplementaryRoundId" TEXT,
    "version" TEXT NOT NULL,
    "view" JSONB NOT NULL,
    "writtenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StudentResultView_pkey" PRIMARY KEY ("studentId")
);

-- CreateIndex
CREATE INDEX "StudentResultView_cycleId_idx" ON "StudentResultView"("cycleId");

-- AddForeignKey
ALTER TABLE "StudentResultView" ADD CONSTRAINT "StudentResultView_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;
