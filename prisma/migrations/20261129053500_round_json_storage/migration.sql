-- A round's input and result are tens of megabytes of JSON written once and read
-- rarely (bundle download, explanations): store them out of line without pglz
-- compression, which cost seconds per round. Prisma does not track column
-- storage, so later diffs leave this alone.
ALTER TABLE "Round" ALTER COLUMN "input" SET STORAGE EXTERNAL;
ALTER TABLE "Round" ALTER COLUMN "result" SET STORAGE EXTERNAL;
