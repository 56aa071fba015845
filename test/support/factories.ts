import { randomBytes } from 'node:crypto';
import type { PrismaClient, Prisma } from '../../server/db';
import type { Role } from '../../server/policies';
import { hashPassword } from '../../server/services/passwords';

/**
 * Test data factories. Each takes the Prisma client of the test database
 * (`startTestServer().prisma`) and overrides, and makes unique keys itself,
 * so test files can run in parallel against one database without clashing.
 */

/** A short random suffix for unique names and ids. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString('hex');
}

export const DEFAULT_TEST_PASSWORD = 'Test-passw0rd';

const hashCache = new Map<string, Promise<string>>();
/** argon2 is slow on purpose; hash each distinct test password once per file. */
function cachedHash(password: string): Promise<string> {
  if (!hashCache.has(password)) hashCache.set(password, hashPassword(password));
  return hashCache.get(password)!;
}

export async function createRegion(prisma: PrismaClient, overrides: Partial<Prisma.RegionCreateInput> = {}) {
  const suffix = uniqueSuffix();
  return prisma.region.create({
    data: { code: `T${suffix}`, name: `测试区${suffix}`, nameEn: `Test district ${suffix}`, ...overrides },
  });
}

export async function createJuniorSchool(
  prisma: PrismaClient,
  overrides: Partial<Prisma.JuniorSchoolUncheckedCreateInput> = {},
) {
  const regionCode = overrides.regionCode ?? (await createRegion(prisma)).code;
  const suffix = uniqueSuffix();
  return prisma.juniorSchool.create({
    data: { id: `JT${suffix}`, name: `测试初级中学${suffix}`, graduates: 300, ...overrides, regionCode },
  });
}

export async function createHighSchool(prisma: PrismaClient, overrides: Partial<Prisma.HighSchoolUncheckedCreateInput> = {}) {
  const regionCode = overrides.regionCode ?? (await createRegion(prisma)).code;
  const suffix = uniqueSuffix();
  return prisma.highSchool.create({
    data: {
      id: `HT${suffix}`,
      name: `测试高级中学${suffix}`,
      ownership: 'public',
      scope: 'city',
      quality: false,
      ...overrides,
      regionCode,
    },
  });
}

export async function createCycle(prisma: PrismaClient, overrides: Partial<Prisma.CycleUncheckedCreateInput> = {}) {
  // `year` is unique: tests use years far from real ones, at random.
  const year = overrides.year ?? 100_000 + Math.floor(Math.random() * 1_000_000_000);
  return prisma.cycle.create({
    data: { year, name: `测试年度 ${year}`, seed: uniqueSuffix(), policy: {}, ...overrides },
  });
}

/** A cycle year the API accepts (2000-9999) that no cycle of the shared test database has yet. */
export async function freeCycleYear(prisma: PrismaClient, from = 3000): Promise<number> {
  const taken = new Set((await prisma.cycle.findMany({ where: { year: { gte: from, lte: 9999 } }, select: { year: true } })).map((c) => c.year));
  for (;;) {
    const year = from + Math.floor(Math.random() * (10_000 - from));
    if (!taken.has(year)) return year;
  }
}

export async function createStudent(prisma: PrismaClient, overrides: Partial<Prisma.StudentUncheckedCreateInput> = {}) {
  const juniorSchool = overrides.juniorSchoolId
    ? await prisma.juniorSchool.findUniqueOrThrow({ where: { id: overrides.juniorSchoolId } })
    : await createJuniorSchool(prisma, overrides.regionCode ? { regionCode: overrides.regionCode } : {});
  const cycleId = overrides.cycleId ?? (await createCycle(prisma)).id;
  const suffix = uniqueSuffix();
  return prisma.student.create({
    data: {
      examNo: `T${suffix}`,
      name: `测试学生${suffix.slice(0, 4)}`,
      // Not a real ID number: test data never holds personal data.
      idCardNo: `000000${suffix.slice(0, 8).padEnd(8, '0')}0000`,
      gender: 'female',
      scores: { chinese: 100, math: 100, english: 100 },
      total: 600,
      evaluation: 'A',
      quotaEligible: true,
      enrolledSince: new Date('2023-09-01'),
      ...overrides,
      cycleId,
      juniorSchoolId: juniorSchool.id,
      regionCode: overrides.regionCode ?? juniorSchool.regionCode,
    },
  });
}

export type UserOverrides = Partial<Omit<Prisma.UserUncheckedCreateInput, 'passwordHash'>> & {
  /** Plain password to hash; DEFAULT_TEST_PASSWORD when absent. */
  password?: string;
};

/**
 * A user account. Returns the row plus the plain `password` to sign in with.
 * It links no school or student record unless the overrides do: use
 * `createAccount` for a user whose home page shows real records.
 */
export async function createUser(prisma: PrismaClient, overrides: UserOverrides = {}) {
  const { password = DEFAULT_TEST_PASSWORD, ...data } = overrides;
  const role: Role = data.role ?? 'bureau';
  const suffix = uniqueSuffix();
  const user = await prisma.user.create({
    data: {
      username: `t-${role}-${suffix}`,
      displayName: `测试用户 ${role} ${suffix}`,
      role,
      ...data,
      passwordHash: await cachedHash(password),
    },
  });
  return { ...user, password };
}

/**
 * A user of a role together with the record the role is about: a student
 * record for `student`, a junior school for `junior`, a high school for
 * `high`, a region for a county `bureau` when `county: true`; nothing for the
 * city bureau and auditors.
 */
export async function createAccount(
  prisma: PrismaClient,
  role: Role,
  overrides: UserOverrides & { county?: boolean } = {},
) {
  const { county, ...userOverrides } = overrides;
  switch (role) {
    case 'student': {
      const student = await createStudent(prisma);
      return createUser(prisma, { role, studentId: student.id, ...userOverrides });
    }
    case 'junior': {
      const school = await createJuniorSchool(prisma);
      return createUser(prisma, { role, juniorSchoolId: school.id, regionCode: school.regionCode, ...userOverrides });
    }
    case 'high': {
      const school = await createHighSchool(prisma);
      return createUser(prisma, { role, highSchoolId: school.id, regionCode: school.regionCode, ...userOverrides });
    }
    case 'bureau': {
      const regionCode = county ? (await createRegion(prisma)).code : null;
      return createUser(prisma, { role, regionCode, ...userOverrides });
    }
    case 'auditor':
      return createUser(prisma, { role, ...userOverrides });
    case 'kindergarten': {
      const kindergarten = await createKindergarten(prisma);
      return createUser(prisma, { role, kindergartenId: kindergarten.id, regionCode: kindergarten.regionCode, ...userOverrides });
    }
  }
}

/** A kindergarten (issue 18) with a clean record: 2 classes, 两教一保, qualified staff, a public one by default. */
export async function createKindergarten(prisma: PrismaClient, overrides: Partial<Prisma.KindergartenUncheckedCreateInput> = {}) {
  const regionCode = overrides.regionCode ?? (await createRegion(prisma)).code;
  const suffix = uniqueSuffix();
  const teacher = (i: number) => ({ role: 'teacher', name: `教师${i}`, qualification: '幼儿园教师资格证' });
  const carer = (i: number) => ({ role: 'carer', name: `保育员${i}`, qualification: '保育员证' });
  return prisma.kindergarten.create({
    data: {
      id: `KT${suffix}`,
      // Digits only: latin letters in a name are a foreign word to the name rule (§15).
      name: `测试阳光幼儿园${parseInt(suffix, 16)}`,
      address: `测试路 ${suffix} 号`,
      nature: 'public',
      grade: 'class1',
      licenceNumber: `教民${suffix}`,
      classes: 2,
      children: 50,
      headName: '王园长',
      headQualification: '园长任职资格培训合格证',
      staff: [teacher(1), teacher(2), teacher(3), teacher(4), carer(1), carer(2)],
      fees: [{ classType: '全日制', period: 'month', amountYuan: 800 }],
      feeMonthlyMin: 800,
      evaluations: [],
      inspections: [],
      ...overrides,
      regionCode,
    },
  });
}
