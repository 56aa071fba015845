-- Issue 16, rounds at province scale. A round's input and result are stored
-- as their canonical text in pieces (RoundText): one jsonb value is capped at
-- 256 MB and a province's input is larger. Round.input and Round.result keep
-- only what SQL reads (the schools' parts); the per-student parts are
-- RoundAssignment rows and the text. Each school's cutoff total is kept beside.

-- CreateEnum
CREATE TYPE "RoundTextPart" AS ENUM ('input', 'result');

-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "cutoffTotals" JSONB;

-- CreateTable
CREATE TABLE "RoundText" (
    "roundId" TEXT NOT NULL,
    "part" "RoundTextPart" NOT NULL,
    "seq" INTEGER NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "RoundText_pkey" PRIMARY KEY ("roundId","part","seq")
);

-- AddForeignKey
ALTER TABLE "RoundText" ADD CONSTRAINT "RoundText_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "Round"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The pieces are JSON text: LZ4 compresses them several times faster than the default where the server has it.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
    ALTER TABLE "RoundText" ALTER COLUMN "body" SET COMPRESSION lz4;
  END IF;
END $$;

-- Rounds stored before: their whole input and result stay in the jsonb columns (the text is
-- rebuilt from them); their cutoff totals are read from the input's students once, here.
UPDATE "Round" r SET "cutoffTotals" = (
  SELECT COALESCE(jsonb_object_agg(s.key, (
    SELECT x->'total' FROM jsonb_array_elements(r.input->'students') x WHERE x->>'id' = s.value->>'lastAdmitted' LIMIT 1
  )), '{}'::jsonb)
  FROM jsonb_each(r.result->'schools') s
)
WHERE jsonb_typeof(r.result->'schools') = 'object' AND jsonb_typeof(r.input->'students') = 'array';

-- The assignment rows of a round go in by COPY, a row per student. Explanations are read only
-- whole: plain json is taken in several times faster than jsonb.
ALTER TABLE "RoundAssignment" ALTER COLUMN "explanation" SET DATA TYPE JSON;

-- A key check per row more than doubled the time of writing them (800,000 rows: 17 s, 2.2 s
-- without keys or indexes, of which the roundId key alone took 5.5 s). The foreign keys of
-- RoundAssignment go; the deletions they cascaded are done by statement triggers on the
-- referenced tables instead, which cost nothing when rows are written. The rows are written
-- once, by the round, for the round it holds and the students and schools it has just read.
-- High schools are never deleted (their key restricted deletion; nothing deletes them).
ALTER TABLE "RoundAssignment" DROP CONSTRAINT "RoundAssignment_studentId_fkey";
ALTER TABLE "RoundAssignment" DROP CONSTRAINT "RoundAssignment_highSchoolId_fkey";
ALTER TABLE "RoundAssignment" DROP CONSTRAINT "RoundAssignment_roundId_fkey";

CREATE FUNCTION "RoundAssignment_of_deleted_rounds"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RoundAssignment" ra USING gone WHERE ra."roundId" = gone.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "Round_delete_assignments" AFTER DELETE ON "Round"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "RoundAssignment_of_deleted_rounds"();

CREATE FUNCTION "RoundAssignment_of_deleted_students"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RoundAssignment" ra USING gone WHERE ra."studentId" = gone.id;
  RETURN NULL;
END $$;
CREATE TRIGGER "Student_delete_assignments" AFTER DELETE ON "Student"
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "RoundAssignment_of_deleted_students"();
