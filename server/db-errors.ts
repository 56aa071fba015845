/**
 * Pure: recognises a unique-constraint violation in the shapes Prisma 7 with
 * @prisma/adapter-pg and node-postgres throw it (P2002, the adapter's
 * `UniqueConstraintViolation` kind, SQLSTATE 23505), so a use case can turn a
 * lost race against a database constraint into its own 4xx instead of a 500.
 */
type Inspectable = { code?: unknown; cause?: unknown; meta?: unknown; kind?: unknown; originalCode?: unknown };

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const x = e as Inspectable;
    if (x.code === 'P2002' || x.code === '23505' || x.originalCode === '23505' || x.kind === 'UniqueConstraintViolation') return true;
    const meta = x.meta as { driverAdapterError?: unknown } | undefined;
    e = meta?.driverAdapterError ?? x.cause;
  }
  return false;
}
