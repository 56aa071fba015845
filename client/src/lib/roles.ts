/** The kinds of account on the platform (PLATFORM.md, "Who uses it"; `kindergarten`: issue 18). */
export const ROLES = ['student', 'junior', 'high', 'bureau', 'auditor', 'kindergarten'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The path of a role's home page; every role has exactly one. */
export function homePathFor(role: Role): `/${Role}` {
  return `/${role}`;
}
