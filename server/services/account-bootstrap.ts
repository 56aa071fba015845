import type { Clock } from '../clock';
import { isCityBureau } from '../policies';
import type { UnitOfWork } from '../repositories';
import { activationCodeExpiry, hashActivationCode, newActivationCode } from './account-codes';
import { NO_PASSWORD_HASH } from './passwords';

/** Usernames the bootstrap accepts: what people can type on a sign-in page. */
export const BOOTSTRAP_USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$/;

export class BootstrapRefused extends Error {}

/**
 * The first account of an empty platform: creates a city-bureau account
 * (市教育局: role bureau, no region) without a password, or finds the existing
 * one, and issues it a new activation code (voiding an earlier one). The code
 * is returned once and stored only as its hash. Refuses (BootstrapRefused) a
 * malformed username and an existing account that is not a city-bureau one.
 */
export async function bootstrapCityBureau(
  deps: { uow: UnitOfWork<'activationCodes' | 'audit' | 'users'>; clock: Clock },
  props: { username: string; displayName?: string },
): Promise<{ created: boolean; code: string; expiresAt: Date }> {
  const username = props.username.trim();
  if (!BOOTSTRAP_USERNAME.test(username)) {
    throw new BootstrapRefused(`"${props.username}" is not a usable username: 2 to 64 letters, digits, _ . @ or -, starting with a letter or digit`);
  }
  const now = deps.clock.now();
  const code = newActivationCode();
  const expiresAt = activationCodeExpiry(now);
  const created = await deps.uow.transaction(async (repos) => {
    let user = await repos.users.findByUsername(username);
    const created = !user;
    if (user && !isCityBureau(user)) {
      throw new BootstrapRefused(`the account "${username}" exists and is not a city-bureau account (role ${user.role}${user.regionCode ? `, region ${user.regionCode}` : ''})`);
    }
    user ??= await repos.users.create({ username, passwordHash: NO_PASSWORD_HASH, role: 'bureau', displayName: props.displayName ?? '市教育局', regionCode: null, createdAt: now });
    await repos.activationCodes.upsert([{ userId: user.id, codeHash: hashActivationCode(code), expiresAt, issuedBy: null, issuedAt: now }]);
    await repos.audit.record({
      actor: null,
      action: 'account.bootstrap',
      entity: 'User',
      entityId: user.id,
      after: { username, created, count: 1, expiresAt },
      at: now,
    });
    return created;
  });
  return { created, code, expiresAt };
}
