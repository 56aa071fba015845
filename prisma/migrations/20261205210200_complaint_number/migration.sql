-- A complaint's short receipt number (issue 13): `TS-XXXX-XX` from an
-- alphabet without look-alikes, made by the complaint service, unique.
-- Reports filed before it keep no number (they are found by their id).

-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN "number" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_number_key" ON "Complaint"("number");
