-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Phase" AS ENUM ('setup', 'plans_published', 'applications_open', 'applications_closed', 'round1', 'confirmation', 'supplementary', 'registration', 'closed');

-- CreateEnum
CREATE TYPE "CycleStatus" AS ENUM ('draft', 'active', 'archived');

-- CreateEnum
CREATE TYPE "Ownership" AS ENUM ('public', 'private');

-- CreateEnum
CREATE TYPE "Scope" AS ENUM ('city', 'region');

-- CreateEnum
CREATE TYPE "Evaluation" AS ENUM ('A', 'B', 'C', 'D');

-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('draft', 'submitted', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('pending', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('male', 'female');

-- CreateEnum
CREATE TYPE "ApplicationKind" AS ENUM ('main', 'supplementary');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('draft', 'submitted', 'frozen');

-- CreateEnum
CREATE TYPE "RoundKind" AS ENUM ('main', 'supplementary', 'simulation');

-- CreateEnum
CREATE TYPE "RoundStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'published');

-- CreateEnum
CREATE TYPE "SeatKind" AS ENUM ('open', 'quota', 'reverted');

-- CreateEnum
CREATE TYPE "ConfirmationDecision" AS ENUM ('confirmed', 'declined');

-- CreateEnum
CREATE TYPE "RegistrationSource" AS ENUM ('manual', 'import');

-- CreateEnum
CREATE TYPE "FlagRule" AS ENUM ('enrolled_without_admission', 'out_of_scope_enrollment', 'top_student_outflow', 'quota_eligibility_shopping', 'early_offer', 'no_show_elsewhere');

-- CreateEnum
CREATE TYPE "FlagSeverity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('open', 'confirmed', 'dismissed');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('student', 'junior', 'high', 'bureau', 'auditor');

-- CreateTable
CREATE TABLE "Cycle" (
    "id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "policy" JSONB NOT NULL,
    "status" "CycleStatus" NOT NULL DEFAULT 'draft',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Cycle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CyclePhase" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "phase" "Phase" NOT NULL,
    "opensAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CyclePhase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "adminCode" TEXT,
    "rural" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "JuniorSchool" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "graduates" INTEGER NOT NULL,
    "rural" BOOLEAN NOT NULL DEFAULT false,
    "weightPercent" INTEGER NOT NULL DEFAULT 100,

    CONSTRAINT "JuniorSchool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HighSchool" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "ownership" "Ownership" NOT NULL,
    "scope" "Scope" NOT NULL,
    "quality" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "HighSchool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HighSchoolPlan" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "highSchoolId" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "classes" INTEGER NOT NULL,
    "batch" INTEGER NOT NULL,
    "minScore" DOUBLE PRECISION,
    "minEvaluation" "Evaluation",
    "quotaPercent" INTEGER,
    "quotaSeats" INTEGER,
    "quotaMinScore" DOUBLE PRECISION,
    "quotaMinEvaluation" "Evaluation",
    "minPerSchool" INTEGER NOT NULL DEFAULT 0,
    "status" "PlanStatus" NOT NULL DEFAULT 'draft',
    "approvedBy" TEXT,
    "approvedAt" TIMESTAMP(3),
    "previousCutoff" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HighSchoolPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PlanChangeRequest" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "changes" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "RequestStatus" NOT NULL DEFAULT 'pending',
    "requestedBy" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "note" TEXT,

    CONSTRAINT "PlanChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuotaAllocation" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "highSchoolId" TEXT NOT NULL,
    "juniorSchoolId" TEXT NOT NULL,
    "seats" INTEGER NOT NULL,

    CONSTRAINT "QuotaAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Student" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "examNo" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "idCardNo" TEXT NOT NULL,
    "gender" "Gender" NOT NULL,
    "birthDate" DATE,
    "juniorSchoolId" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "scores" JSONB NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "evaluation" "Evaluation" NOT NULL,
    "quotaEligible" BOOLEAN NOT NULL,
    "enrolledSince" DATE NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Student_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StudentJuniorHistory" (
    "id" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "juniorSchoolId" TEXT NOT NULL,
    "from" DATE NOT NULL,
    "to" DATE,

    CONSTRAINT "StudentJuniorHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Application" (
    "id" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "kind" "ApplicationKind" NOT NULL DEFAULT 'main',
    "version" INTEGER NOT NULL DEFAULT 1,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'draft',
    "choices" JSONB NOT NULL,
    "submittedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplicationVersion" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "choices" JSONB NOT NULL,
    "savedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "savedBy" TEXT,

    CONSTRAINT "ApplicationVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Round" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "kind" "RoundKind" NOT NULL,
    "name" TEXT,
    "policy" JSONB NOT NULL,
    "seed" TEXT NOT NULL,
    "status" "RoundStatus" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "inputSha256" TEXT,
    "resultSha256" TEXT,
    "invariantsOk" BOOLEAN,
    "input" JSONB,
    "result" JSONB,
    "error" TEXT,
    "jobId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "Round_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoundAssignment" (
    "roundId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "highSchoolId" TEXT,
    "seat" "SeatKind",
    "batch" INTEGER,
    "explanation" JSONB,

    CONSTRAINT "RoundAssignment_pkey" PRIMARY KEY ("roundId","studentId")
);

-- CreateTable
CREATE TABLE "Confirmation" (
    "id" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "decision" "ConfirmationDecision" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Confirmation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentRegistration" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "highSchoolId" TEXT NOT NULL,
    "examNo" TEXT NOT NULL,
    "studentId" TEXT,
    "registeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" "RegistrationSource" NOT NULL,
    "accepted" BOOLEAN NOT NULL,
    "rejectionReason" TEXT,
    "createdBy" TEXT,

    CONSTRAINT "EnrollmentRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Flag" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT NOT NULL,
    "rule" "FlagRule" NOT NULL,
    "severity" "FlagSeverity" NOT NULL,
    "status" "FlagStatus" NOT NULL DEFAULT 'open',
    "highSchoolIds" TEXT[],
    "studentIds" TEXT[],
    "evidence" JSONB NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "note" TEXT,
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" TEXT NOT NULL,
    "cycleId" TEXT,
    "highSchoolId" TEXT,
    "schoolName" TEXT NOT NULL,
    "studentName" TEXT,
    "contact" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "flagId" TEXT,

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "displayName" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "tokenVersion" INTEGER NOT NULL DEFAULT 0,
    "highSchoolId" TEXT,
    "juniorSchoolId" TEXT,
    "studentId" TEXT,
    "regionCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorRole" "Role",
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "requestId" TEXT,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Cycle_year_key" ON "Cycle"("year");

-- CreateIndex
CREATE INDEX "CyclePhase_cycleId_opensAt_idx" ON "CyclePhase"("cycleId", "opensAt");

-- CreateIndex
CREATE UNIQUE INDEX "CyclePhase_cycleId_phase_key" ON "CyclePhase"("cycleId", "phase");

-- CreateIndex
CREATE INDEX "JuniorSchool_regionCode_idx" ON "JuniorSchool"("regionCode");

-- CreateIndex
CREATE INDEX "HighSchool_regionCode_idx" ON "HighSchool"("regionCode");

-- CreateIndex
CREATE INDEX "HighSchoolPlan_cycleId_batch_idx" ON "HighSchoolPlan"("cycleId", "batch");

-- CreateIndex
CREATE UNIQUE INDEX "HighSchoolPlan_cycleId_highSchoolId_key" ON "HighSchoolPlan"("cycleId", "highSchoolId");

-- CreateIndex
CREATE INDEX "PlanChangeRequest_planId_idx" ON "PlanChangeRequest"("planId");

-- CreateIndex
CREATE INDEX "PlanChangeRequest_status_idx" ON "PlanChangeRequest"("status");

-- CreateIndex
CREATE INDEX "QuotaAllocation_cycleId_juniorSchoolId_idx" ON "QuotaAllocation"("cycleId", "juniorSchoolId");

-- CreateIndex
CREATE UNIQUE INDEX "QuotaAllocation_cycleId_highSchoolId_juniorSchoolId_key" ON "QuotaAllocation"("cycleId", "highSchoolId", "juniorSchoolId");

-- CreateIndex
CREATE UNIQUE INDEX "Student_examNo_key" ON "Student"("examNo");

-- CreateIndex
CREATE INDEX "Student_juniorSchoolId_idx" ON "Student"("juniorSchoolId");

-- CreateIndex
CREATE INDEX "Student_cycleId_regionCode_idx" ON "Student"("cycleId", "regionCode");

-- CreateIndex
CREATE INDEX "Student_cycleId_total_idx" ON "Student"("cycleId", "total");

-- CreateIndex
CREATE INDEX "StudentJuniorHistory_studentId_idx" ON "StudentJuniorHistory"("studentId");

-- CreateIndex
CREATE INDEX "StudentJuniorHistory_juniorSchoolId_idx" ON "StudentJuniorHistory"("juniorSchoolId");

-- CreateIndex
CREATE INDEX "Application_cycleId_kind_status_idx" ON "Application"("cycleId", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Application_cycleId_studentId_kind_key" ON "Application"("cycleId", "studentId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ApplicationVersion_applicationId_version_key" ON "ApplicationVersion"("applicationId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Round_jobId_key" ON "Round"("jobId");

-- CreateIndex
CREATE INDEX "Round_cycleId_kind_status_idx" ON "Round"("cycleId", "kind", "status");

-- CreateIndex
CREATE INDEX "RoundAssignment_roundId_highSchoolId_idx" ON "RoundAssignment"("roundId", "highSchoolId");

-- CreateIndex
CREATE INDEX "RoundAssignment_studentId_idx" ON "RoundAssignment"("studentId");

-- CreateIndex
CREATE UNIQUE INDEX "Confirmation_roundId_studentId_key" ON "Confirmation"("roundId", "studentId");

-- CreateIndex
CREATE INDEX "EnrollmentRegistration_cycleId_highSchoolId_idx" ON "EnrollmentRegistration"("cycleId", "highSchoolId");

-- CreateIndex
CREATE INDEX "EnrollmentRegistration_cycleId_studentId_idx" ON "EnrollmentRegistration"("cycleId", "studentId");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_dedupeKey_key" ON "Flag"("dedupeKey");

-- CreateIndex
CREATE INDEX "Flag_cycleId_status_idx" ON "Flag"("cycleId", "status");

-- CreateIndex
CREATE INDEX "Flag_cycleId_rule_idx" ON "Flag"("cycleId", "rule");

-- CreateIndex
CREATE INDEX "Complaint_createdAt_idx" ON "Complaint"("createdAt");

-- CreateIndex
CREATE INDEX "Complaint_flagId_idx" ON "Complaint"("flagId");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");

-- CreateIndex
CREATE INDEX "AuditLog_actorId_idx" ON "AuditLog"("actorId");

-- AddForeignKey
ALTER TABLE "CyclePhase" ADD CONSTRAINT "CyclePhase_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JuniorSchool" ADD CONSTRAINT "JuniorSchool_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HighSchool" ADD CONSTRAINT "HighSchool_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HighSchoolPlan" ADD CONSTRAINT "HighSchoolPlan_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HighSchoolPlan" ADD CONSTRAINT "HighSchoolPlan_highSchoolId_fkey" FOREIGN KEY ("highSchoolId") REFERENCES "HighSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanChangeRequest" ADD CONSTRAINT "PlanChangeRequest_planId_fkey" FOREIGN KEY ("planId") REFERENCES "HighSchoolPlan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuotaAllocation" ADD CONSTRAINT "QuotaAllocation_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuotaAllocation" ADD CONSTRAINT "QuotaAllocation_highSchoolId_fkey" FOREIGN KEY ("highSchoolId") REFERENCES "HighSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuotaAllocation" ADD CONSTRAINT "QuotaAllocation_juniorSchoolId_fkey" FOREIGN KEY ("juniorSchoolId") REFERENCES "JuniorSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Student" ADD CONSTRAINT "Student_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Student" ADD CONSTRAINT "Student_juniorSchoolId_fkey" FOREIGN KEY ("juniorSchoolId") REFERENCES "JuniorSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Student" ADD CONSTRAINT "Student_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentJuniorHistory" ADD CONSTRAINT "StudentJuniorHistory_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StudentJuniorHistory" ADD CONSTRAINT "StudentJuniorHistory_juniorSchoolId_fkey" FOREIGN KEY ("juniorSchoolId") REFERENCES "JuniorSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplicationVersion" ADD CONSTRAINT "ApplicationVersion_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Round" ADD CONSTRAINT "Round_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoundAssignment" ADD CONSTRAINT "RoundAssignment_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoundAssignment" ADD CONSTRAINT "RoundAssignment_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoundAssignment" ADD CONSTRAINT "RoundAssignment_highSchoolId_fkey" FOREIGN KEY ("highSchoolId") REFERENCES "HighSchool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Confirmation" ADD CONSTRAINT "Confirmation_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Confirmation" ADD CONSTRAINT "Confirmation_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRegistration" ADD CONSTRAINT "EnrollmentRegistration_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRegistration" ADD CONSTRAINT "EnrollmentRegistration_highSchoolId_fkey" FOREIGN KEY ("highSchoolId") REFERENCES "HighSchool"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRegistration" ADD CONSTRAINT "EnrollmentRegistration_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Student"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_highSchoolId_fkey" FOREIGN KEY ("highSchoolId") REFERENCES "HighSchool"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_flagId_fkey" FOREIGN KEY ("flagId") REFERENCES "Flag"("id") ON DELETE SET NULL ON UPDATE CASCADE;
