-- CreateTable
CREATE TABLE "SignInFailure" (
    "username" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignInFailure_pkey" PRIMARY KEY ("username","address")
);

-- CreateIndex
CREATE INDEX "SignInFailure_lastFailureAt_idx" ON "SignInFailure"("lastFailureAt");
