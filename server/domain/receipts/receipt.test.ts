import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, describeVerdict, keyIdOf, RECEIPT_FORMAT, receiptPayload, signReceipt, verifyReceipt, type Receipt, type ReceiptInput } from './receipt';

const keys = generateKeyPairSync('ed25519');
const otherKeys = generateKeyPairSync('ed25519');

const input: ReceiptInput = {
  student: { id: 'stu_1', examNo: '2026010001' },
  cycle: { id: 'cyc_1', year: 2026 },
  kind: 'main',
  version: 3,
  choices: { '2': ['H11'], '1': ['H01', 'H03'], '3': [] },
  savedAt: new Date('2026-06-20T08:15:30.123Z'),
};

const copy = (receipt: Receipt): Receipt => JSON.parse(JSON.stringify(receipt));

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, { d: 'x', c: null }], é: true })).toBe('{"a":[3,1,{"c":null,"d":"x"}],"b":1,"é":true}');
  });

  it('gives the same text for the same value whatever the key order', () => {
    expect(canonicalJson({ x: { b: 2, a: 1 }, y: '株洲' })).toBe(canonicalJson({ y: '株洲', x: { a: 1, b: 2 } }));
  });

  it('refuses what JSON cannot hold and nesting deeper than a receipt', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/no JSON form/);
    expect(() => canonicalJson({ a: undefined })).toThrow(/no JSON form/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/deeper/);
  });
});

describe('receiptPayload', () => {
  it('lists batches in numeric order without empty ones, names the student without an ID number, and the time in UTC', () => {
    const payload = receiptPayload({ ...input, choices: { '10': ['H90'], '2': ['H11'], '1': ['H01', 'H03'] } }, 'k');
    expect(payload).toEqual({
      format: RECEIPT_FORMAT,
      keyId: 'k',
      student: { id: 'stu_1', examNo: '2026010001' },
      cycle: { id: 'cyc_1', year: 2026 },
      kind: 'main',
      version: 3,
      choices: [
        { batch: 1, schools: ['H01', 'H03'] },
        { batch: 2, schools: ['H11'] },
        { batch: 10, schools: ['H90'] },
      ],
      savedAt: '2026-06-20T08:15:30.123Z',
    });
  });
});

describe('signReceipt and verifyReceipt', () => {
  const receipt = signReceipt(input, keys.privateKey);

  it('verifies a receipt with the public key, and names the key', () => {
    expect(receipt.payload.keyId).toBe(keyIdOf(keys.publicKey));
    expect(keyIdOf(keys.privateKey)).toBe(keyIdOf(keys.publicKey));
    expect(Buffer.from(receipt.signature, 'base64')).toHaveLength(64);
    expect(verifyReceipt(copy(receipt), keys.publicKey)).toEqual({ valid: true, keyId: keyIdOf(keys.publicKey) });
  });

  it('signs the same save to the same receipt (Ed25519 is deterministic)', () => {
    expect(signReceipt(input, keys.privateKey)).toEqual(receipt);
  });

  it('fails when one choice is changed, reordered or removed', () => {
    const changed = copy(receipt);
    changed.payload.choices[0].schools[1] = 'H04';
    expect(verifyReceipt(changed, keys.publicKey)).toMatchObject({ valid: false, reason: 'tampered' });
    const reordered = copy(receipt);
    reordered.payload.choices[0].schools.reverse();
    expect(verifyReceipt(reordered, keys.publicKey)).toMatchObject({ valid: false, reason: 'tampered' });
    const dropped = copy(receipt);
    dropped.payload.choices.pop();
    expect(verifyReceipt(dropped, keys.publicKey)).toMatchObject({ valid: false, reason: 'tampered' });
  });

  it('fails when the version, the time or the student is changed, or a field added', () => {
    for (const change of [
      (r: Receipt) => (r.payload.version = 4),
      (r: Receipt) => (r.payload.savedAt = '2026-06-20T08:15:31.123Z'),
      (r: Receipt) => (r.payload.student.examNo = '2026010002'),
      (r: Receipt) => Object.assign(r.payload, { note: 'added' }),
    ]) {
      const tampered = copy(receipt);
      change(tampered);
      expect(verifyReceipt(tampered, keys.publicKey)).toMatchObject({ valid: false, reason: 'tampered' });
    }
  });

  it('fails against another key, and says so when the payload names another key', () => {
    expect(verifyReceipt(copy(receipt), otherKeys.publicKey)).toMatchObject({ valid: false, reason: 'otherKey', keyId: keyIdOf(otherKeys.publicKey) });
    // Signed by another key that claims to be ours: the signature still decides.
    const forged = signReceipt(input, otherKeys.privateKey);
    forged.payload.keyId = keyIdOf(keys.publicKey);
    expect(verifyReceipt(forged, keys.publicKey)).toMatchObject({ valid: false, reason: 'tampered' });
    const foreign = signReceipt(input, otherKeys.privateKey);
    expect(verifyReceipt(foreign, keys.publicKey)).toMatchObject({ valid: false, reason: 'otherKey' });
  });

  it('still verifies when the keys of the JSON file are reordered: the canonical form is what is signed', () => {
    const p = receipt.payload;
    const reorderedText = `{"signature":${JSON.stringify(receipt.signature)},"payload":{"savedAt":"${p.savedAt}","choices":[{"schools":["H01","H03"],"batch":1},{"schools":["H11"],"batch":2}],"version":3,"kind":"main","cycle":{"year":2026,"id":"cyc_1"},"student":{"examNo":"2026010001","id":"stu_1"},"keyId":"${p.keyId}","format":"${p.format}"}}`;
    expect(JSON.stringify(JSON.parse(reorderedText))).not.toBe(JSON.stringify(receipt));
    expect(verifyReceipt(JSON.parse(reorderedText), keys.publicKey)).toMatchObject({ valid: true });
    // Whitespace and indentation do not matter either.
    expect(verifyReceipt(JSON.parse(JSON.stringify(receipt, null, 2)), keys.publicKey)).toMatchObject({ valid: true });
  });

  it('calls anything that is not a receipt malformed instead of throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { a: deep };
    for (const notAReceipt of [
      null,
      'text',
      [],
      { payload: receipt.payload },
      { payload: [], signature: receipt.signature },
      { payload: receipt.payload, signature: 'not base64!' },
      { payload: receipt.payload, signature: Buffer.alloc(32).toString('base64') },
      { payload: { deep }, signature: receipt.signature },
    ]) {
      expect(verifyReceipt(notAReceipt, keys.publicKey)).toMatchObject({ valid: false, reason: 'malformed' });
    }
  });

  it('describes each verdict in one line', () => {
    expect(describeVerdict(verifyReceipt(receipt, keys.publicKey), receipt)).toMatch(/^VALID: receipt of 2026010001, main version 3 saved 2026-06-20T08:15:30.123Z/);
    const changed = copy(receipt);
    changed.payload.version = 9;
    expect(describeVerdict(verifyReceipt(changed, keys.publicKey), changed)).toMatch(/^INVALID: the signature does not match the content/);
    expect(describeVerdict(verifyReceipt(receipt, otherKeys.publicKey), receipt)).toMatch(/^INVALID: signed by another key/);
    expect(describeVerdict(verifyReceipt({}, keys.publicKey), {})).toMatch(/^INVALID: not a receipt/);
  });
});
