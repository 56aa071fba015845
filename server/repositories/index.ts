import type { Prisma, PrismaClient } from '../db';
import { createAuditRepository } from './audit.repository';
import { createCycleRepository } from './cycle.repository';
import { createHealthRepository } from './health.repository';
import { createHomeRepository } from './home.repository';
import { createUserRepository } from './user.repository';

/** A Prisma client or an interactive transaction: every repository works inside both. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** The repositories of the API foundation, bound to one client or transaction. */
export function createRepositories(db: Db) {
  return {
    users: createUserRepository(db),
    audit: createAuditRepository(db),
    cycles: createCycleRepository(db),
    homes: createHomeRepository(db),
    health: createHealthRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * What a service gets instead of Prisma: repositories for plain reads and
 * writes, and `transaction` for work that must commit or fail as one (the
 * callback receives the transaction, for `recordAudit`, and repositories bound to it).
 */
export interface UnitOfWork {
  repos: Repositories;
  transaction<T>(work: (tx: Db, repos: Repositories) => Promise<T>): Promise<T>;
}

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    repos: createRepositories(prisma),
    transaction: (work) => prisma.$transaction((tx) => work(tx, createRepositories(tx))),
  };
}
