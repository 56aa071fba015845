import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyIdOf, signReceipt, type Receipt } from '../../server/domain/receipts/receipt';
import { createTestClock } from '../support/clock';
import { apiClient, type ApiClient } from '../support/http';
import { startTestServer, testServiceUrls, type TestServer } from '../support/server';
import { createStudentWorld, type StudentWorld } from '../support/student-world';

/**
 * Signed receipts (回执) end to end: every save answers with one; it verifies
 * online (POST /api/receipts/verify) and offline (the receipt:verify CLI as a
 * child process, with the PEM of GET /api/receipts/public-key); one choice
 * changed, or a receipt signed by another key, fails both. The history serves
 * the newest version's receipt, identical to the save's. Every API process
 * signs with the same key, and production refuses to start without one.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const clock = createTestClock();
const dir = mkdtempSync(path.join(os.tmpdir(), 'zz-receipts-'));
const servers: TestServer[] = [];
let server: TestServer;
let api: ApiClient;
let world: StudentWorld;
let token: string;
let publicKeyFile: string;

beforeAll(async () => {
  server = await startTestServer({ clock });
  servers.push(server);
  api = apiClient(server.url, { checkResponses: true });
  world = await createStudentWorld(server.prisma);
  clock.set(world.during('applications_open'));
  token = await api.login(world.account.username, world.account.password);
});

afterAll(async () => {
  // Leave the current cycle to whoever runs next.
  if (world) await server.prisma.cycle.update({ where: { id: world.cycle.id }, data: { status: 'archived' } });
  for (const s of servers) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

const copy = (receipt: Receipt): Receipt => JSON.parse(JSON.stringify(receipt));

/** Runs `npm run -s receipt:verify -- <receipt> <key>` as npm would (node --import tsx), returning exit code and output. */
function cli(receipt: unknown, keyFile: string, name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, typeof receipt === 'string' ? receipt : JSON.stringify(receipt, null, 2));
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli/receipt-verify.ts', file, keyFile], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function save(baseVersion: number, choices: Record<string, string[]>) {
  const res = await api.put('/api/student/application', { kind: 'main', baseVersion, choices }, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { version: number; savedAt: string; receipt: Receipt };
}

describe('GET /api/receipts/public-key', () => {
  it('answers the Ed25519 public key as a PEM file, without signing in, with the key id receipts name', async () => {
    const res = await api.get('/api/receipts/public-key');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-pem-file/);
    const pem = res.body as string;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    const key = createPublicKey(pem);
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(res.headers.get('x-receipt-key-id')).toBe(keyIdOf(key));
    publicKeyFile = path.join(dir, 'public-key.pem');
    writeFileSync(publicKeyFile, pem);
  });
});

describe('a save\'s receipt', () => {
  let receipt: Receipt;
  let platformKey: KeyObject;

  beforeAll(async () => {
    platformKey = createPublicKey((await api.get('/api/receipts/public-key')).body as string);
    publicKeyFile ??= path.join(dir, 'public-key.pem');
    writeFileSync(publicKeyFile, platformKey.export({ type: 'spki', format: 'pem' }));
    const { first, second, vocational } = world.schools;
    const saved = await save(0, { '1': [first.id, second.id], '3': [vocational.id], '2': [] });
    receipt = saved.receipt;
    expect(receipt.payload.savedAt).toBe(saved.savedAt);
  });

  it('names the student, the cycle, the version, the choices in order and the server time, and no ID number', () => {
    const { first, second, vocational } = world.schools;
    expect(receipt.payload).toEqual({
      format: 'zz-admissions/receipt@1',
      keyId: keyIdOf(platformKey),
      student: { id: world.student.id, examNo: world.student.examNo },
      cycle: { id: world.cycle.id, year: world.cycle.year },
      kind: 'main',
      version: 1,
      choices: [
        { batch: 1, schools: [first.id, second.id] },
        { batch: 3, schools: [vocational.id] },
      ],
      savedAt: world.during('applications_open').toISOString(),
    });
    expect(JSON.stringify(receipt)).not.toContain(world.student.idCardNo);
  });

  it('verifies online and offline', async () => {
    const online = await api.post('/api/receipts/verify', receipt);
    expect(online.status).toBe(200);
    expect(online.body).toEqual({ valid: true, keyId: keyIdOf(platformKey) });
    const offline = await cli(receipt, publicKeyFile, 'valid');
    expect(offline.stdout).toMatch(new RegExp(`^VALID: receipt of ${world.student.examNo}, main version 1 saved `));
    expect(offline.code).toBe(0);
  });

  it('verifies with the JSON keys in another order (the canonical form is signed)', async () => {
    const { payload, signature } = receipt;
    const reordered = { signature, payload: Object.fromEntries(Object.entries(payload).reverse()) };
    expect((await api.post('/api/receipts/verify', reordered)).body.valid).toBe(true);
    expect((await cli(reordered, publicKeyFile, 'reordered')).code).toBe(0);
  });

  it('fails online and offline when one choice is changed', async () => {
    const tampered = copy(receipt);
    tampered.payload.choices[0].schools[1] = world.schools.strict.id;
    expect((await api.post('/api/receipts/verify', tampered)).body).toEqual({ valid: false, reason: 'tampered', keyId: keyIdOf(platformKey) });
    const offline = await cli(tampered, publicKeyFile, 'tampered');
    expect(offline.stdout).toMatch(/^INVALID: the signature does not match the content/);
    expect(offline.code).toBe(1);
  });

  it('fails online and offline when signed by another key, also when it claims the platform\'s key id', async () => {
    const other = generateKeyPairSync('ed25519');
    const input = {
      student: receipt.payload.student,
      cycle: receipt.payload.cycle,
      kind: 'main' as const,
      version: 1,
      choices: { '1': receipt.payload.choices[0].schools, '3': receipt.payload.choices[1].schools },
      savedAt: new Date(receipt.payload.savedAt),
    };
    const forged = signReceipt(input, other.privateKey);
    expect(forged.payload.choices).toEqual(receipt.payload.choices);
    expect((await api.post('/api/receipts/verify', forged)).body).toMatchObject({ valid: false, reason: 'otherKey' });
    const offline = await cli(forged, publicKeyFile, 'other-key');
    expect(offline.stdout).toMatch(/^INVALID: signed by another key/);
    expect(offline.code).toBe(1);

    const disguised = copy(forged);
    disguised.payload.keyId = receipt.payload.keyId;
    expect((await api.post('/api/receipts/verify', disguised)).body).toMatchObject({ valid: false, reason: 'tampered' });
    expect((await cli(disguised, publicKeyFile, 'disguised')).code).toBe(1);
    // And the forger's own key does verify it offline: the key file decides.
    const otherKeyFile = path.join(dir, 'other-key.pem');
    writeFileSync(otherKeyFile, other.publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await cli(forged, otherKeyFile, 'forged-own-key')).code).toBe(0);
  });

  it('is served again from the history for the newest version, byte for byte the save\'s receipt', async () => {
    const history = await api.get('/api/student/application/history?kind=main', { token });
    expect(history.status).toBe(200);
    expect(history.body.receipt).toEqual(receipt);

    clock.advance(60_000);
    const next = await save(1, { '1': [world.schools.second.id, world.schools.first.id] });
    expect(next.receipt.payload.version).toBe(2);
    expect(next.receipt.payload.choices).toEqual([{ batch: 1, schools: [world.schools.second.id, world.schools.first.id] }]);
    expect(next.receipt.signature).not.toBe(receipt.signature);
    const again = await api.get('/api/student/application/history?kind=main', { token });
    expect(again.body.receipt).toEqual(next.receipt);
    expect((await api.post('/api/receipts/verify', again.body.receipt)).body.valid).toBe(true);
  });

  it('answers 400 naming the field for a body that is not a receipt, and the CLI exits 2 on unreadable files', async () => {
    const missing = await api.post('/api/receipts/verify', { payload: receipt.payload });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'signature' });
    const extra = await api.post('/api/receipts/verify?lang=en', { ...receipt, payload: { ...receipt.payload, version: 'one' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.field).toBe('payload.version');
    expect((await api.request('POST', '/api/receipts/verify', undefined, { rawBody: '{"payload":' })).body.error.code).toBe('MALFORMED_JSON');

    expect((await cli('{"payload":', publicKeyFile, 'not-json')).code).toBe(2);
    const noKey = await cli(receipt, path.join(dir, 'no-such-key.pem'), 'no-key');
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/cannot read the public key .*ENOENT/);
    // A JSON file that is not a receipt: invalid, not unreadable.
    const notReceipt = await cli({ hello: 'world' }, publicKeyFile, 'not-a-receipt');
    expect(notReceipt.code).toBe(1);
    expect(notReceipt.stdout).toMatch(/^INVALID: not a receipt/);
  });
});

describe('POST /api/receipts/verify with any JSON', () => {
  it('never answers a 5xx: a verdict for a well-formed receipt, else a 400 naming the field', async () => {
    const limitFree = await startTestServer({ env: { RECEIPT_VERIFY_RATE_LIMIT: '100000' } });
    servers.push(limitFree);
    const client = apiClient(limitFree.url);
    const receiptLike = fc.record({
      payload: fc.oneof(fc.anything(), fc.record({ format: fc.constant('zz-admissions/receipt@1'), keyId: fc.string(), version: fc.integer(), choices: fc.anything() })),
      signature: fc.oneof(fc.string(), fc.base64String({ minLength: 88, maxLength: 88 }), fc.anything()),
    });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 40 }), receiptLike), async (body) => {
        const res = await client.post('/api/receipts/verify', body);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        if (res.status === 200) expect(res.body.valid).toBe(false);
        else expect(res.body.error.code).toMatch(/^(VALIDATION_FAILED|MALFORMED_JSON)$/);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the key across API processes and in production', () => {
  it('is the same in every API process (one key file or variable, not a per-process random)', async () => {
    const another = await startTestServer();
    servers.push(another);
    const a = (await api.get('/api/receipts/public-key')).body;
    const b = (await apiClient(another.url).get('/api/receipts/public-key')).body;
    expect(b).toBe(a);
  });

  it('rate-limits checking per client like the other public posts', async () => {
    const limited = await startTestServer({ env: { RECEIPT_VERIFY_RATE_LIMIT: '2' } });
    servers.push(limited);
    const client = apiClient(limited.url);
    expect((await client.post('/api/receipts/verify', {})).status).toBe(400);
    const second = await client.post('/api/receipts/verify', {});
    expect(second.status).toBe(400);
    expect(second.headers.get('ratelimit-policy')).toMatch(/q=2; w=60/);
    const third = await client.post('/api/receipts/verify', {});
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    // Fetching the key is not limited.
    expect((await client.get('/api/receipts/public-key')).status).toBe(200);
  });

  it('refuses to start the API in production without RECEIPT_SIGNING_KEY, naming it', async () => {
    const { databaseUrl, redisUrl } = await testServiceUrls();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: 'Zz9-receipts-test-secret-with-enough-variety-0123456789',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      QUEUE_PREFIX: 'receipts-prod-test',
    };
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env, timeout: 60_000 }, (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr });
      });
    });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('RECEIPT_SIGNING_KEY: must be set when NODE_ENV=production');
  });
});
