-- The audit log becomes an append-only hash chain (server/domain/audit/chain.ts).
-- Every entry gets `seq` (1, 2, 3... without gaps), `prevHash` (the hash of
-- entry seq - 1; 64 zeros for entry 1) and `hash`: the SHA-256 of the entry's
-- canonical text, PostgreSQL's jsonb text of its chained fields
-- (audit_log_canonical below; the TypeScript side computes the same text).
-- The application appends under pg_advisory_xact_lock (audit.repository.ts);
-- the database checks every insert and refuses UPDATE, DELETE and TRUNCATE.
-- Hand-written beyond Prisma's diff (which only knows the three columns and
-- the unique index): the backfill, the checks, the functions and the triggers.

ALTER TABLE "AuditLog" ADD COLUMN "seq" BIGINT,
ADD COLUMN "prevHash" TEXT,
ADD COLUMN "hash" TEXT;

-- The text an entry's hash is taken of. Keep in step with canonicalAuditText.
CREATE FUNCTION audit_log_canonical(entry "AuditLog") RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'seq', entry."seq",
    'at', to_char(entry."at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'actorId', entry."actorId",
    'actorRole', entry."actorRole"::text,
    'action', entry."action",
    'entity', entry."entity",
    'entityId', entry."entityId",
    'before', entry."before",
    'after', entry."after",
    'requestId', entry."requestId",
    'prevHash', entry."prevHash"
  )::text
$$;

CREATE FUNCTION audit_log_hash(entry "AuditLog") RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(audit_log_canonical(entry), 'UTF8')), 'hex')
$$;

-- Entries written before the chain join it in the order they were written (id).
LOCK TABLE "AuditLog" IN EXCLUSIVE MODE;
DO $$
DECLARE
  entry "AuditLog";
  next_seq bigint := 0;
  prev text := repeat('0', 64);
BEGIN
  FOR entry IN SELECT * FROM "AuditLog" ORDER BY "id" LOOP
    next_seq := next_seq + 1;
    entry."seq" := next_seq;
    entry."prevHash" := prev;
    prev := audit_log_hash(entry);
    UPDATE "AuditLog" SET "seq" = next_seq, "prevHash" = entry."prevHash", "hash" = prev WHERE "id" = entry."id";
  END LOOP;
END
$$;

ALTER TABLE "AuditLog" ALTER COLUMN "seq" SET NOT NULL,
ALTER COLUMN "prevHash" SET NOT NULL,
ALTER COLUMN "hash" SET NOT NULL,
ADD CONSTRAINT "AuditLog_seq_check" CHECK ("seq" > 0),
ADD CONSTRAINT "AuditLog_hash_check" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prevHash" ~ '^[0-9a-f]{64}$');

-- CreateIndex
CREATE UNIQUE INDEX "AuditLog_seq_key" ON "AuditLog"("seq");

-- Every insert must extend the chain: the next seq, linked to the last entry,
-- with the hash of its own contents. Concurrent appends without the advisory
-- lock cannot fork the chain either: the unique seq refuses the second.
CREATE FUNCTION audit_log_check_append() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  SELECT "seq", "hash" INTO last_seq, last_hash FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1;
  IF NEW."seq" IS DISTINCT FROM coalesce(last_seq, 0) + 1 OR NEW."prevHash" IS DISTINCT FROM coalesce(last_hash, repeat('0', 64)) THEN
    RAISE EXCEPTION 'audit log: entry % does not extend the chain (last entry is %)', NEW."seq", coalesce(last_seq, 0)
      USING HINT = 'Write audit entries only through recordAudit (server/services/audit.service.ts).';
  END IF;
  IF NEW."hash" IS DISTINCT FROM audit_log_hash(NEW) THEN
    RAISE EXCEPTION 'audit log: the hash of entry % is not the SHA-256 of its canonical text', NEW."seq"
      USING HINT = 'Write audit entries only through recordAudit (server/services/audit.service.ts).';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "AuditLog_append" BEFORE INSERT ON "AuditLog"
FOR EACH ROW EXECUTE FUNCTION audit_log_check_append();

-- Append-only: no escape hatch. Only someone able to drop or disable the
-- triggers (the table's owner) can change history, and the chain shows it.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only: % on "AuditLog" is not allowed', TG_OP
    USING HINT = 'Audit entries are never changed or removed; correct a mistake with a new entry.';
END
$$;

CREATE TRIGGER "AuditLog_append_only" BEFORE UPDATE OR DELETE ON "AuditLog"
FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER "AuditLog_no_truncate" BEFORE TRUNCATE ON "AuditLog"
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
