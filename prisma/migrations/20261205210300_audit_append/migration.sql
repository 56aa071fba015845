-- One-statement audit appends for hot paths (issue 13): a student's save of
-- choices writes its audit entry in the save's own statement, with no extra
-- round trip and no read by the application. `audit_log_append` takes the
-- chain lock (the key of AUDIT_CHAIN_LOCK_KEY in audit.repository.ts), reads
-- the head and inserts the next entry with its hash computed by
-- audit_log_hash, the same canonical text the TypeScript side computes
-- (server/domain/audit/chain.ts), so `npm run audit:verify` checks it like any
-- other entry. VOLATILE: under READ COMMITTED each statement inside takes a
-- fresh snapshot, so the head read after the lock sees every entry committed
-- before the lock was granted, even when the calling statement began earlier.
-- The append trigger of audit_chain still checks the insert.

CREATE FUNCTION audit_log_append(
  p_at timestamp(3),
  p_actor_id text,
  p_actor_role "Role",
  p_action text,
  p_entity text,
  p_entity_id text,
  p_before jsonb,
  p_after jsonb,
  p_request_id text
) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  entry "AuditLog";
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7420260001);
  SELECT "seq", "hash" INTO last_seq, last_hash FROM "AuditLog" ORDER BY "seq" DESC LIMIT 1;
  entry."seq" := coalesce(last_seq, 0) + 1;
  entry."prevHash" := coalesce(last_hash, repeat('0', 64));
  entry."at" := p_at;
  entry."actorId" := p_actor_id;
  entry."actorRole" := p_actor_role;
  entry."action" := p_action;
  entry."entity" := p_entity;
  entry."entityId" := p_entity_id;
  entry."before" := p_before;
  entry."after" := p_after;
  entry."requestId" := p_request_id;
  entry."hash" := audit_log_hash(entry);
  INSERT INTO "AuditLog" ("seq", "prevHash", "hash", "at", "actorId", "actorRole", "action", "entity", "entityId", "before", "after", "requestId")
  VALUES (entry."seq", entry."prevHash", entry."hash", entry."at", entry."actorId", entry."actorRole", entry."action", entry."entity",
          entry."entityId", entry."before", entry."after", entry."requestId");
  RETURN entry."seq";
END
$$;
