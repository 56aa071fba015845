-- Issue 16: a round's assignment rows in a table of their own, a partition of
-- RoundAssignment (by "roundId"). A round writes its rows into a new table
-- (COPY, no index yet), builds its indexes by sorting and attaches it, all in
-- the run's transaction: 800,000 rows took 14.4 s going into the shared table
-- through its three indexes, and 5.4 s this way. Rows written one at a time
-- (tests' fixtures, rounds run before this) live in the default partition.
-- A round's partition has no index on "studentId" alone (one round's rows are
-- read by round, and by round and student: the primary key): only the default
-- partition, which holds many rounds, keeps one for deleting a student.
-- The partition of round R is "RoundAssignment_" || md5(R) (round.repository.ts
-- roundPartition); deleting a round drops it.

ALTER TABLE "RoundAssignment" RENAME TO "RoundAssignment_default";
ALTER INDEX "RoundAssignment_pkey" RENAME TO "RoundAssignment_default_pkey";
ALTER INDEX "RoundAssignment_roundId_highSchoolId_idx" RENAME TO "RoundAssignment_default_roundId_highSchoolId_idx";
ALTER INDEX "RoundAssignment_studentId_idx" RENAME TO "RoundAssignment_default_studentId_idx";

CREATE TABLE "RoundAssignment" (LIKE "RoundAssignment_default" INCLUDING DEFAULTS) PARTITION BY LIST ("roundId");
ALTER TABLE "RoundAssignment" ADD CONSTRAINT "RoundAssignment_pkey" PRIMARY KEY ("roundId", "studentId");
CREATE INDEX "RoundAssignment_roundId_highSchoolId_idx" ON "RoundAssignment" ("roundId", "highSchoolId");
ALTER TABLE "RoundAssignment" ATTACH PARTITION "RoundAssignment_default" DEFAULT;

CREATE OR REPLACE FUNCTION "RoundAssignment_of_deleted_rounds"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  round_id text;
BEGIN
  FOR round_id IN SELECT id FROM gone LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I', 'RoundAssignment_' || md5(round_id));
  END LOOP;
  DELETE FROM "RoundAssignment_default" ra USING gone WHERE ra."roundId" = gone.id;
  RETURN NULL;
END $$;
