-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN     "seedCommitment" TEXT,
ADD COLUMN     "seedCommittedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Approval_subject_subjectId_userId_key" ON "Approval"("subject", "subjectId", "userId");
