/**
 * `npm run -s receipt:verify -- receipt.json public-key.pem`: checks a signed
 * receipt (回执) offline, with nothing but the file and the platform's public
 * key (GET /api/receipts/public-key). No database, no network.
 *
 * Prints one line, `VALID: receipt of <准考证号>, <kind> version <n> saved <time>,
 * signed by key <keyId>` and exits 0, or `INVALID: <why>` and exits 1 (changed
 * after signing, signed by another key, not a receipt); exits 2 when a file
 * cannot be read: missing, not JSON, not an Ed25519 public key in PEM.
 * The whole answer of a save (`{..., "receipt": {...}}`) is accepted too.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeVerdict, verifyReceipt } from '../domain/receipts/receipt';

const NAME = 'receipt:verify';

function fail(message: string): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(2);
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function main(): number {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.length !== 2) fail('usage: npm run -s receipt:verify -- <receipt.json> <public-key.pem>');
  const [receiptFile, keyFile] = args;

  let receipt: unknown;
  try {
    // A BOM (Windows editors) is not part of the JSON.
    receipt = JSON.parse(readText(receiptFile, 'receipt').replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof SyntaxError) fail(`the receipt ${receiptFile} is not JSON: ${error.message}`);
    throw error;
  }
  if (receipt && typeof receipt === 'object' && !('payload' in receipt) && 'receipt' in receipt) receipt = (receipt as { receipt: unknown }).receipt;

  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(readText(keyFile, 'public key'));
  } catch (error) {
    return fail(`the public key ${keyFile} is not a PEM key: ${(error as Error).message}`);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') fail(`the public key ${keyFile} is a ${publicKey.asymmetricKeyType} key; receipts are signed with Ed25519`);

  const verdict = verifyReceipt(receipt, publicKey);
  process.stdout.write(`${describeVerdict(verdict, receipt)}\n`);
  return verdict.valid ? 0 : 1;
}

process.exitCode = main();
