import type { Clock } from '../clock';
import { AppError } from '../errors';
import { authorize, isCityBureau, type Actor } from '../policies';
import type { UnitOfWork } from '../repositories';
import type { ActivationCodeInsert, IssuableAccount } from '../repositories/activation-code.repository';
import { activationCodeExpiry, activationCodeMatches, ACTIVATION_CODE_TTL_DAYS, hashActivationCode, newActivationCode, newActivationCodes } from './account-codes';
import { canIssueActivationCodeFor, canIssueForJuniorSchool, issueRoleScope, type IssueRole } from '../policies/account.policy';
import type { AuthService, LoginResult } from './auth.service';
import { passwordProblem } from '../domain/auth/auth.rules';
import type { PasswordHasher } from './passwords';

/** Whose accounts get new codes: listed usernames, every student of a junior school, or every account of a role group. */
export type IssueTarget = { usernames: string[] } | { juniorSchoolId: string } | { role: IssueRole };

/** A code as issued: shown to the issuer once; only its hash is kept. */
export interface IssuedCode {
  username: string;
  displayName: string;
  code: string;
  expiresAt: Date;
}

/** At most this many usernames are listed in the audit entry of one issue (the count is always there). */
const AUDITED_USERNAMES = 1_000;

export interface AccountServiceDeps {
  uow: UnitOfWork<'activationCodes' | 'audit' | 'refreshTokens' | 'users'>;
  clock: Clock;
  auth: AuthService;
  passwords: PasswordHasher;
  /** How long a code stays valid; ACTIVATION_CODE_TTL_DAYS by default. */
  codeTtlDays?: number;
}

/**
 * Accounts of imported people: one-time activation codes (issued by whoever
 * is responsible for the account: see policies/account.policy.ts) and activation,
 * which sets the password with a code and signs the person in. A forgotten
 * password is a new code from the same people.
 *
 * Codes never reach a log, the audit log or the database in the clear.
 */
export function createAccountService(deps: AccountServiceDeps) {
  const { uow, clock, auth, passwords } = deps;
  const ttlDays = deps.codeTtlDays ?? ACTIVATION_CODE_TTL_DAYS;

  /** The accounts a target names, after checking the caller may issue for each (all or nothing). */
  async function resolveTarget(actor: Actor, target: IssueTarget): Promise<IssuableAccount[]> {
    const codes = uow.repos.activationCodes;
    if ('usernames' in target) {
      const wanted = [...new Set(target.usernames.map((u) => u.trim()))];
      const found = new Map((await codes.accountsByUsernames(wanted)).map((a) => [a.username, a]));
      for (const username of wanted) {
        const account = found.get(username);
        if (account && canIssueActivationCodeFor(actor, account)) continue;
        const field = `usernames.${target.usernames.findIndex((u) => u.trim() === username)}`;
        // Only the city bureau, which may see every account, learns that a name is free.
        if (!account && isCityBureau(actor)) throw new AppError('UNKNOWN_ACCOUNT', { field, params: { username }, details: { username } });
        throw new AppError('ACCOUNT_OUT_OF_SCOPE', { field, params: { username }, details: { username } });
      }
      return wanted.map((u) => found.get(u)!);
    }
    if ('juniorSchoolId' in target) {
      const school = await codes.juniorSchool(target.juniorSchoolId);
      if (!school) {
        if (isCityBureau(actor)) throw new AppError('UNKNOWN_JUNIOR_SCHOOL', { field: 'juniorSchoolId', params: { id: target.juniorSchoolId } });
        throw new AppError('FORBIDDEN');
      }
      if (!canIssueForJuniorSchool(actor, school)) throw new AppError('FORBIDDEN');
      const accounts = await codes.studentAccountsOfJuniorSchool(school.id);
      return accounts.filter((a) => canIssueActivationCodeFor(actor, a));
    }
    const scope = issueRoleScope(actor, target.role);
    if (!scope) throw new AppError('FORBIDDEN');
    const accounts = await codes.accountsOfRole(target.role, scope.regionCode);
    return accounts.filter((a) => canIssueActivationCodeFor(actor, a));
  }

  return {
    /**
     * Issues a new code to every account the target names, voiding each
     * one's earlier unused code. All or nothing: an unknown or out-of-scope
     * username refuses the whole request (naming it) and issues nothing.
     * One bulk write and one audit entry, however many accounts.
     */
    async issueCodes(actor: Actor, target: IssueTarget, props: { requestId?: string } = {}): Promise<IssuedCode[]> {
      authorize(actor, 'account.activation.issue');
      const accounts = await resolveTarget(actor, target);
      if (accounts.length === 0) return [];

      const now = clock.now();
      const expiresAt = activationCodeExpiry(now, ttlDays);
      const issued: IssuedCode[] = [];
      const rows: ActivationCodeInsert[] = [];
      const hashes = new Set<string>();
      const drawn = newActivationCodes(accounts.length);
      for (const [index, account] of accounts.entries()) {
        let code = drawn[index];
        let codeHash = hashActivationCode(code);
        // Two equal codes in one batch (about one in 10^6 at 50,000) would break the unique hash: draw again.
        while (hashes.has(codeHash)) {
          code = newActivationCode();
          codeHash = hashActivationCode(code);
        }
        hashes.add(codeHash);
        issued.push({ username: account.username, displayName: account.displayName, code, expiresAt });
        rows.push({ userId: account.id, codeHash, expiresAt, issuedBy: actor.id, issuedAt: now });
      }

      await uow.transaction(
        async (repos) => {
          await repos.activationCodes.upsert(rows);
          const usernames = accounts.map((a) => a.username);
          await repos.audit.record({
            actor,
            action: 'account.issue_activation_codes',
            entity: 'User',
            entityId: accounts.length === 1 ? accounts[0].id : null,
            after: {
              target: 'usernames' in target ? 'usernames' : target,
              count: accounts.length,
              usernames: usernames.slice(0, AUDITED_USERNAMES),
              ...(usernames.length > AUDITED_USERNAMES ? { usernamesListed: AUDITED_USERNAMES } : {}),
              expiresAt,
            },
            requestId: props.requestId,
            at: now,
          });
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
      return issued;
    },

    /**
     * Sets the password of `username` with its activation code and signs in
     * (answering as `auth.login` does). The code works once; a wrong,
     * expired, replaced or used code, or an unknown username, is one
     * identical INVALID_ACTIVATION_CODE, throttled per (username, client
     * address) like a wrong password. Ends every earlier session.
     */
    async activate(props: { username: string; code: string; newPassword: string; clientAddress: string; requestId?: string }): Promise<LoginResult> {
      const username = props.username.trim();
      const problem = passwordProblem(props.newPassword, { username });
      if (problem) throw new AppError('PASSWORD_TOO_WEAK', { field: 'newPassword', details: { reason: problem } });

      const attempt = { username, clientAddress: props.clientAddress };
      await auth.admitAttempt(attempt);
      const user = await uow.repos.users.findByUsername(username);
      if (!user) {
        activationCodeMatches(null, props.code, clock.now());
        await auth.credentialFailed(attempt);
        throw new AppError('INVALID_ACTIVATION_CODE', { field: 'code' });
      }
      const stored = await uow.repos.activationCodes.findByUserId(user.id);
      if (!stored || !activationCodeMatches(stored, props.code, clock.now())) {
        await auth.credentialFailed(attempt);
        throw new AppError('INVALID_ACTIVATION_CODE', { field: 'code' });
      }

      const passwordHash = await passwords.hash(props.newPassword);
      const now = clock.now();
      const activated = await uow.transaction(async (repos) => {
        // Conditional delete: of two requests with one code, one wins.
        if (!(await repos.activationCodes.consume(user.id, stored.codeHash, now))) return false;
        await repos.activationCodes.setActivatedPassword(user.id, passwordHash, now);
        await repos.refreshTokens.revokeAllOfUser(user.id, now);
        await repos.audit.record({
          actor: user,
          action: 'auth.activate',
          entity: 'User',
          entityId: user.id,
          before: { activated: user.activatedAt !== null, mustChangePassword: user.mustChangePassword },
          after: { firstActivation: user.activatedAt === null },
          requestId: props.requestId,
          at: now,
        });
        return true;
      });
      if (!activated) {
        await auth.credentialFailed(attempt);
        throw new AppError('INVALID_ACTIVATION_CODE', { field: 'code' });
      }
      return auth.signInVerified(user.id, { clientAddress: props.clientAddress, requestId: props.requestId });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
