/**
 * A round's assignment rows live in a partition of RoundAssignment of their
 * own (migration 20261206120000_round_assignment_partitions): written by the
 * run, attached in its transaction, read through RoundAssignment like any row,
 * and gone with the round or the student, as the foreign keys' cascades were.
 * Rows written one at a time (fixtures, rounds stored before) sit in the
 * default partition and cascade the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnitOfWork } from '../../server/repositories';
import { roundPartition } from '../../server/repositories/round.repository';
import { runRound } from '../../server/services/round.service';
import { createTestClock } from '../support/clock';
import { seedRoundCity, type RoundCity } from '../support/rounds-city';
import { startTestServer, type TestServer } from '../support/server';

const clock = createTestClock('2030-06-01T00:00:00Z');
let server: TestServer;
let city: RoundCity;

beforeAll(async () => {
  server = await startTestServer({ clock });
  city = await seedRoundCity(server.prisma, { students: 80, seed: 'round-partitions' });
  clock.set(city.at('applications_closed'));
});

afterAll(async () => {
  await server?.prisma.cycle.updateMany({ where: { id: city?.cycleId }, data: { status: 'archived' } });
  await server?.stop();
});

async function runSimulation(name: string) {
  const cycle = await server.prisma.cycle.findUniqueOrThrow({ where: { id: city.cycleId } });
  const round = await server.prisma.round.create({
    data: { cycleId: cycle.id, kind: 'simulation', name, policy: (cycle.policy as { allocation: object }).allocation, seed: cycle.seed, createdBy: 'test' },
  });
  const outcome = await runRound({ uow: createUnitOfWork(server.prisma), clock }, round.id);
  expect(outcome.status).toBe('succeeded');
  return round.id;
}

/** The partitions attached to RoundAssignment, by name. */
async function partitions(): Promise<string[]> {
  const rows = await server.prisma.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = '"RoundAssignment"'::regclass`;
  return rows.map((r) => r.name);
}

describe('assignment rows in a partition per round', () => {
  it('writes a round into its own attached partition, one row per student, read through RoundAssignment', async () => {
    const a = await runSimulation('A');
    const b = await runSimulation('B');
    const names = await partitions();
    expect(names).toEqual(expect.arrayContaining([roundPartition(a), roundPartition(b), 'RoundAssignment_default']));
    for (const id of [a, b]) {
      const [{ n }] = await server.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${roundPartition(id)}"`);
      expect(n).toBe(80);
      expect(await server.prisma.roundAssignment.count({ where: { roundId: id } })).toBe(80);
    }
    // The same students, the same rows: the runs are of the same input and seed.
    const rows = (id: string) =>
      server.prisma.roundAssignment.findMany({ where: { roundId: id }, orderBy: { studentId: 'asc' }, select: { studentId: true, highSchoolId: true, seat: true, explanation: true } });
    expect(await rows(b)).toEqual(await rows(a));
    // A simulation is never published: its rows carry no explanation (its result's text has them).
    expect((await rows(a)).every((row) => row.explanation === null)).toBe(true);
    // The primary key holds across partitions' rows as it did on one table.
    const someone = (await rows(a))[0];
    await expect(
      server.prisma.roundAssignment.create({ data: { roundId: a, studentId: someone.studentId } }),
    ).rejects.toThrow();
  });

  it('drops a round partition with the round, deletes a student from every partition, and cascades rows of the default partition too', async () => {
    const kept = await runSimulation('kept');
    const gone = await runSimulation('gone');
    const student = (await server.prisma.roundAssignment.findFirstOrThrow({ where: { roundId: kept }, select: { studentId: true } })).studentId;

    // A round whose rows were written one at a time: they land in the default partition.
    const handWritten = await server.prisma.round.create({
      data: { cycleId: city.cycleId, kind: 'simulation', name: 'by hand', policy: {}, seed: 'x', status: 'succeeded', createdBy: 'test' },
    });
    await server.prisma.roundAssignment.create({ data: { roundId: handWritten.id, studentId: student } });
    const [{ n: inDefault }] = await server.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "RoundAssignment_default" WHERE "roundId" = ${handWritten.id}`;
    expect(inDefault).toBe(1);

    await server.prisma.round.delete({ where: { id: gone } });
    expect(await partitions()).not.toContain(roundPartition(gone));
    expect(await partitions()).toContain(roundPartition(kept));
    expect(await server.prisma.roundAssignment.count({ where: { roundId: gone } })).toBe(0);

    await server.prisma.confirmation.deleteMany({ where: { studentId: student } });
    await server.prisma.$executeRaw`DELETE FROM "Student" WHERE id = ${student}`;
    expect(await server.prisma.roundAssignment.count({ where: { studentId: student } })).toBe(0);
    expect(await server.prisma.roundAssignment.count({ where: { roundId: kept } })).toBe(79);

    await server.prisma.round.delete({ where: { id: handWritten.id } });
    expect(await server.prisma.roundAssignment.count({ where: { roundId: handWritten.id } })).toBe(0);
  });
});
