import { z } from 'zod';
import { RECEIPT_FORMAT } from '../../domain/receipts/receipt';
import { errorResponses, jsonBody, jsonResponse, type RouteConfig } from '../shared.schema';

/**
 * Signed receipts (回执, server/domain/receipts/receipt.ts): the shape every save
 * answers with, and the public routes that publish the key and check a receipt.
 * No transforms (no trimming): what is checked is exactly what was sent.
 */

export const receiptPayloadSchema = z
  .object({
    format: z.literal(RECEIPT_FORMAT),
    keyId: z.string().max(64).meta({ description: 'First 16 hex digits of SHA-256 over the signing key\'s public half (SPKI DER)' }),
    student: z.object({ id: z.string().max(64), examNo: z.string().max(64).meta({ description: '准考证号 (never the 身份证号)' }) }).strict(),
    cycle: z.object({ id: z.string().max(64), year: z.number().int() }).strict(),
    kind: z.enum(['main', 'supplementary']).meta({ description: 'main (志愿) or supplementary (补录)' }),
    version: z.number().int().min(1),
    choices: z
      .array(z.object({ batch: z.number().int().min(1), schools: z.array(z.string().max(40)).max(100) }).strict())
      .max(100)
      .meta({ description: 'Batches in numeric order, schools in order of preference' }),
    savedAt: z.string().max(40).meta({ description: 'Server time of the save, ISO 8601 UTC' }),
  })
  .strict()
  .meta({ id: 'ReceiptPayload' });

export const receiptSchema = z
  .object({
    payload: receiptPayloadSchema,
    signature: z.string().max(200).meta({ description: 'Ed25519 over the UTF-8 bytes of the payload\'s canonical JSON (sorted keys, no whitespace; RFC 8785), base64' }),
  })
  .meta({ id: 'Receipt', description: 'A signed receipt (回执). Key order in the JSON does not matter; array order does.' });
export type ReceiptBody = z.infer<typeof receiptSchema>;
export type Receipt = ReceiptBody;
export type ReceiptPayload = z.infer<typeof receiptPayloadSchema>;

export const receiptVerdictSchema = z
  .object({
    valid: z.boolean(),
    reason: z
      .enum(['tampered', 'otherKey', 'malformed'])
      .optional()
      .meta({ description: 'When invalid: tampered (changed after signing, or not our signature), otherKey (names another signing key)' }),
    keyId: z.string().meta({ description: 'The platform key checked against' }),
  })
  .meta({ id: 'ReceiptVerdict' });

export type ReceiptVerdict = z.infer<typeof receiptVerdictSchema>;

export const receiptPaths: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/receipts/public-key',
    tags: ['receipts'],
    summary: 'The Ed25519 public key receipts are signed with, as PEM (SPKI), public',
    description:
      'Served as `application/x-pem-file` (a text file: save it as public-key.pem); `X-Receipt-Key-Id` carries the key id receipts name. ' +
      'Check a receipt offline with `npm run -s receipt:verify -- receipt.json public-key.pem` or `openssl pkeyutl -verify -rawin`.',
    responses: {
      200: { description: 'PEM', content: { 'application/x-pem-file': { schema: z.string().meta({ example: '-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n' }) } } },
    },
  },
  {
    method: 'post',
    path: '/api/receipts/verify',
    tags: ['receipts'],
    summary: 'Checks a receipt against the platform\'s key (public, rate-limited): {valid: true|false}',
    request: { body: jsonBody(receiptSchema) },
    responses: { 200: jsonResponse('The verdict', receiptVerdictSchema), ...errorResponses('VALIDATION_FAILED', 'MALFORMED_JSON', 'RATE_LIMITED') },
  },
];
