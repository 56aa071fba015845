import type { ImportKind } from '../domain/imports/columns';
import { NO_PASSWORD_HASH } from '../domain/auth/auth.rules';
import { stage } from './import.repository';
import type { Db } from './index';

/**
 * Accounts for everyone the bureau imports, made in the import's own
 * transaction (so an import and its accounts commit or fail together), named
 * and linked as the demo city names them (server/demo/generate.ts):
 *
 * | import         | username            | role    | linked by                    |
 * | -------------- | ------------------- | ------- | ---------------------------- |
 * | students       | 准考证号 (exam no.) | student | studentId, juniorSchoolId, regionCode |
 * | junior schools | the id, lower case  | junior  | juniorSchoolId, regionCode   |
 * | high schools   | the id, lower case  | high    | highSchoolId, regionCode     |
 * | regions        | `bureau-<code>`     | bureau  | regionCode (a county bureau) |
 *
 * New accounts have no usable password (NO_PASSWORD_HASH): the person sets
 * one with an activation code. An existing account keeps its password and is
 * re-linked: a student re-import makes new student rows with new ids, and
 * names may have changed. An existing account of another role with the same
 * username is left alone.
 *
 * One `INSERT ... SELECT ... ON CONFLICT (username) DO UPDATE` per import,
 * reading the rows the import just wrote: 50,000 students take one statement.
 * Returns how many accounts were created or updated.
 */
async function upsertImportedAccounts(
  tx: Db,
  input: { kind: ImportKind; cycleId: string; records: readonly object[]; now: Date },
): Promise<number> {
  const { kind, cycleId, now } = input;
  const at = now.toISOString();
  const keys = input.records.map((r) => String((r as Record<string, unknown>)[KEY_FIELD[kind]] ?? ''));
  if (keys.length === 0) return 0;
  switch (kind) {
    case 'students':
      return tx.$executeRaw`
        INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "studentId", "juniorSchoolId", "regionCode", "createdAt")
        SELECT gen_random_uuid()::text, s."examNo", ${NO_PASSWORD_HASH}, 'student'::"Role", s."name", s."id", s."juniorSchoolId", s."regionCode", ${at}::timestamp(3)
        FROM (SELECT DISTINCT upper(btrim(k.no)) AS no FROM unnest(${keys}::text[]) AS k(no)) k
        JOIN "Student" s ON s."examNo" = k.no AND s."cycleId" = ${cycleId}
        ON CONFLICT ("username") DO UPDATE
          SET "displayName" = EXCLUDED."displayName", "studentId" = EXCLUDED."studentId",
              "juniorSchoolId" = EXCLUDED."juniorSchoolId", "regionCode" = EXCLUDED."regionCode"
          WHERE "User"."role" = EXCLUDED."role"`;
    case 'junior-schools':
      return tx.$executeRaw`
        INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "juniorSchoolId", "regionCode", "createdAt")
        SELECT gen_random_uuid()::text, lower(j."id"), ${NO_PASSWORD_HASH}, 'junior'::"Role", j."name", j."id", j."regionCode", ${at}::timestamp(3)
        FROM "JuniorSchool" j WHERE j."id" = ANY(${keys}::text[])
        ON CONFLICT ("username") DO UPDATE
          SET "displayName" = EXCLUDED."displayName", "juniorSchoolId" = EXCLUDED."juniorSchoolId", "regionCode" = EXCLUDED."regionCode"
          WHERE "User"."role" = EXCLUDED."role"`;
    case 'high-schools':
      return tx.$executeRaw`
        INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "highSchoolId", "regionCode", "createdAt")
        SELECT gen_random_uuid()::text, lower(h."id"), ${NO_PASSWORD_HASH}, 'high'::"Role", h."name", h."id", h."regionCode", ${at}::timestamp(3)
        FROM "HighSchool" h WHERE h."id" = ANY(${keys}::text[])
        ON CONFLICT ("username") DO UPDATE
          SET "displayName" = EXCLUDED."displayName", "highSchoolId" = EXCLUDED."highSchoolId", "regionCode" = EXCLUDED."regionCode"
          WHERE "User"."role" = EXCLUDED."role"`;
    case 'regions':
      return tx.$executeRaw`
        INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "regionCode", "createdAt")
        SELECT gen_random_uuid()::text, 'bureau-' || r."code", ${NO_PASSWORD_HASH}, 'bureau'::"Role", r."name" || '教育局', r."code", ${at}::timestamp(3)
        FROM "Region" r WHERE r."code" = ANY(${keys}::text[])
        ON CONFLICT ("username") DO UPDATE
          SET "displayName" = EXCLUDED."displayName", "regionCode" = EXCLUDED."regionCode"
          WHERE "User"."role" = EXCLUDED."role" AND "User"."regionCode" IS NOT NULL`;
  }
}

/**
 * The student accounts of a student import read from its staging table (see
 * createStudentStage), after insertStagedStudents moved the rows into
 * Student: one INSERT ... SELECT ... ON CONFLICT for the whole file, as
 * upsertImportedAccounts does, without sending the exam numbers again.
 */
async function upsertStagedStudentAccounts(tx: Db, input: { stage: string; now: Date }): Promise<number> {
  return tx.$executeRawUnsafe(
    `INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "studentId", "juniorSchoolId", "regionCode", "createdAt")
     SELECT gen_random_uuid()::text, st.exam_no, $1, 'student'::"Role", st.name, st.id, st.junior_school_id, st.region_code, $2::timestamp(3)
     FROM ${stage(input.stage)} st
     ON CONFLICT ("username") DO UPDATE
       SET "displayName" = EXCLUDED."displayName", "studentId" = EXCLUDED."studentId",
           "juniorSchoolId" = EXCLUDED."juniorSchoolId", "regionCode" = EXCLUDED."regionCode"
       WHERE "User"."role" = EXCLUDED."role"`,
    NO_PASSWORD_HASH,
    input.now.toISOString(),
  );
}

/** The field of an imported record that names the account. */
const KEY_FIELD: Record<ImportKind, string> = {
  students: 'examNo',
  'junior-schools': 'id',
  'high-schools': 'id',
  regions: 'code',
};

/**
 * Accounts of kindergartens (issue 18), made in the registry import's
 * transaction without a usable password, as for schools above. An account of
 * another role with the same username is left alone.
 */
async function upsertKindergartenAccounts(tx: Db, ids: string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO "User" ("id", "username", "passwordHash", "role", "displayName", "kindergartenId", "regionCode", "createdAt")
    SELECT gen_random_uuid()::text, lower(k."id"), ${NO_PASSWORD_HASH}, 'kindergarten'::"Role", k."name", k."id", k."regionCode", ${now.toISOString()}::timestamp(3)
    FROM "Kindergarten" k WHERE k."id" = ANY(${ids}::text[])
    ON CONFLICT ("username") DO UPDATE
      SET "displayName" = EXCLUDED."displayName", "kindergartenId" = EXCLUDED."kindergartenId", "regionCode" = EXCLUDED."regionCode"
      WHERE "User"."role" = EXCLUDED."role"`;
}

/** The accounts imports make, bound to one client or transaction (the import's). */
export function createImportedAccountsRepository(db: Db) {
  return {
    forImport: (input: { kind: ImportKind; cycleId: string; records: readonly object[]; now: Date }) => upsertImportedAccounts(db, input),
    forStagedStudents: (input: { stage: string; now: Date }) => upsertStagedStudentAccounts(db, input),
    forKindergartens: (ids: string[], now: Date) => upsertKindergartenAccounts(db, ids, now),
  };
}
