import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  auditEntryHash,
  canonicalAuditText,
  describeAuditChainReport,
  jsonbText,
  linkAuditEntry,
  verifyAuditChain,
  type AuditChainRow,
} from './chain';

/** A valid chain of `n` entries, each with its own before/after. */
function chain(n: number): AuditChainRow[] {
  const rows: AuditChainRow[] = [];
  for (let i = 0; i < n; i++) {
    const head = rows.at(-1) ?? null;
    rows.push(
      linkAuditEntry(
        {
          at: new Date(Date.UTC(2026, 5, 1, 8, 0, i, 5)),
          actorId: i % 3 === 0 ? null : `user-${i}`,
          actorRole: i % 3 === 0 ? null : 'bureau',
          action: 'plan.approve',
          entity: 'HighSchoolPlan',
          entityId: `H${i}`,
          before: i === 0 ? null : { capacity: i * 10, note: '旧计划' },
          after: { capacity: i * 10 + 5, classes: [1, 2, { z: true, a: null }] },
          requestId: `req-${i}`,
        },
        head,
      ),
    );
  }
  return rows;
}

describe('jsonbText (PostgreSQL jsonb output)', () => {
  it('orders keys shortest first, then by UTF-8 bytes, with ", " and ": " separators', () => {
    expect(jsonbText({ bb: 1, a: 2, c: 3, aaa: [true, false, null], 学校: 'x', Z: {} })).toBe(
      '{"Z": {}, "a": 2, "c": 3, "bb": 1, "aaa": [true, false, null], "学校": "x"}',
    );
    expect(jsonbText([])).toBe('[]');
  });

  it('writes numbers as PostgreSQL numeric does: no exponent, nothing rounded', () => {
    expect(jsonbText([0, -0, 1, -1.5, 0.1, 1e21, 1.5e-7, -2.5e-10, 123456789012345680000, 5e-324, Number.MAX_SAFE_INTEGER])).toBe(
      `[0, 0, 1, -1.5, 0.1, 1000000000000000000000, 0.00000015, -0.00000000025, 123456789012345680000, 0.${'0'.repeat(323)}5, 9007199254740991]`,
    );
    expect(jsonbText(1.7976931348623157e308)).toBe(`17976931348623157${'0'.repeat(292)}`);
  });

  it('escapes only quotes, backslashes and control characters', () => {
    expect(jsonbText('a"b\\c\n\t\r\b\f\u0001\u001f/\u007f\u2028é😀')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\u007f\u2028é😀"');
  });

  it('drops undefined members and writes undefined array items and non-finite numbers as null, like JSON.stringify', () => {
    expect(jsonbText({ a: undefined, b: [undefined, Number.NaN, Infinity], c: () => 1 })).toBe('{"b": [null, null, null]}');
    expect(jsonbText({ d: new Date('2026-01-02T03:04:05.678Z') })).toBe('{"d": "2026-01-02T03:04:05.678Z"}');
  });
});

describe('canonicalAuditText', () => {
  const entry = {
    seq: 7n,
    at: new Date('2026-06-01T08:00:00.120Z'),
    actorId: 'u1',
    actorRole: 'bureau',
    action: 'round.publish',
    entity: 'Round',
    entityId: 'r1',
    before: { status: 'succeeded' },
    after: { status: 'published', n: 2 },
    requestId: null,
    prevHash: 'ab'.repeat(32),
  };

  it('is the jsonb text of every chained field, absent values as null', () => {
    expect(canonicalAuditText(entry)).toBe(
      '{"at": "2026-06-01T08:00:00.120Z", "seq": 7, "after": {"n": 2, "status": "published"}, "action": "round.publish", ' +
        '"before": {"status": "succeeded"}, "entity": "Round", "actorId": "u1", "entityId": "r1", ' +
        `"prevHash": "${'ab'.repeat(32)}", "actorRole": "bureau", "requestId": null}`,
    );
    expect(canonicalAuditText({ ...entry, before: undefined })).toContain('"before": null');
  });

  it('does not depend on the key order of before/after (jsonb reorders them)', () => {
    const reordered = { ...entry, after: { n: 2, status: 'published' } };
    expect(auditEntryHash(reordered)).toBe(auditEntryHash(entry));
  });

  it('hashes the UTF-8 bytes of the canonical text with SHA-256', () => {
    expect(auditEntryHash(entry)).toBe(createHash('sha256').update(Buffer.from(canonicalAuditText(entry), 'utf8')).digest('hex'));
    expect(auditEntryHash({ ...entry, after: { status: 'published', n: 3 } })).not.toBe(auditEntryHash(entry));
  });
});

describe('linkAuditEntry', () => {
  it('starts at seq 1 after the genesis hash and links each entry to the one before', () => {
    const rows = chain(3);
    expect(rows.map((r) => r.seq)).toEqual([1n, 2n, 3n]);
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    expect(rows[2].hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyAuditChain', () => {
  it('accepts a valid chain and reports its length and head', () => {
    const rows = chain(20);
    const report = verifyAuditChain(rows);
    expect(report).toEqual({ ok: true, count: 20, head: { seq: 20n, hash: rows[19].hash } });
    expect(describeAuditChainReport(report)).toBe(`OK: 20 entries, head seq 20 hash ${rows[19].hash}`);
    expect(verifyAuditChain([])).toEqual({ ok: true, count: 0, head: null });
  });

  it('finds a changed entry (its stored hash no longer matches)', () => {
    const rows = chain(10);
    rows[6] = { ...rows[6], after: { capacity: 999, classes: [1, 2, { z: true, a: null }] } };
    const report = verifyAuditChain(rows);
    expect(report).toMatchObject({ ok: false, count: 6, head: { seq: 6n }, broken: { seq: 7n, reason: 'hash', found: rows[6].hash } });
    expect(describeAuditChainReport(report)).toMatch(/^BROKEN at seq 7 \(hash\)/);
  });

  it('finds a changed entry whose hash was recomputed (the next entry no longer links to it)', () => {
    const rows = chain(10);
    const forged = { ...rows[3], action: 'plan.reject' };
    rows[3] = { ...forged, hash: auditEntryHash(forged) };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, count: 4, broken: { seq: 5n, reason: 'prevHash', found: rows[3 + 1].prevHash } });
  });

  it('finds a removed entry (a gap) and rows out of order', () => {
    const rows = chain(10);
    expect(verifyAuditChain([...rows.slice(0, 4), ...rows.slice(5)])).toMatchObject({ ok: false, count: 4, broken: { seq: 5n, reason: 'gap', found: '6' } });
    const swapped = [...rows];
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, count: 2, broken: { seq: 3n, reason: 'gap', found: '4' } });
    expect(verifyAuditChain(rows.slice(1))).toMatchObject({ ok: false, count: 0, head: null, broken: { seq: 1n, reason: 'gap' } });
  });

  it('finds entries renumbered to close a gap (their hashes cover seq)', () => {
    const rows = chain(6);
    const renumbered = rows.slice(3).map((r) => ({ ...r, seq: r.seq - 1n }));
    const report = verifyAuditChain([...rows.slice(0, 2), ...renumbered]);
    expect(report).toMatchObject({ ok: false, broken: { seq: 3n, reason: 'prevHash' } });
  });

  it('finds a wrong prevHash on the first entry', () => {
    const rows = chain(2);
    rows[0] = { ...rows[0], prevHash: '1'.repeat(64) };
    expect(verifyAuditChain(rows)).toMatchObject({ ok: false, count: 0, broken: { seq: 1n, reason: 'prevHash', expected: GENESIS_HASH } });
  });
});
