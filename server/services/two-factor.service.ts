import QRCode from 'qrcode';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { UnitOfWork } from '../repositories';
import type { UserRow } from '../repositories/user.repository';
import { authorize } from '../policies';
import { toPublicUser, type PublicUser } from './auth.service';
import type { PasswordHasher } from './passwords';
import type { SecretBox } from './secret-box';
import { isFreshTotpStep, matchTotp, openTotpSecret, newTotpSecret, totpUri } from './totp';

export interface TwoFactorServiceDeps {
  uow: UnitOfWork<'audit' | 'users'>;
  passwords: PasswordHasher;
  clock: Clock;
  /** Seals the TOTP secrets before they are stored. */
  secretBox: SecretBox;
  /** BUREAU_TOTP_REQUIRED. */
  bureauTotpRequired: boolean;
}

/** What the user adds to an authenticator app; shown once, at setup. */
export interface TotpEnrollment {
  /** Base32, for typing into the app by hand. */
  secret: string;
  /** otpauth:// URI (a link that opens the app on a phone). */
  uri: string;
  /** The URI as a QR code: an SVG data URL. */
  qrCode: string;
}

/**
 * Turning two-factor sign-in (TOTP) on and off for the caller's own bureau
 * account: setup stores a new secret (encrypted) and shows it once; enable
 * confirms with a code from the app; disable needs the password and a code.
 * Enable, disable and their failures go to the audit log (never the secret or
 * the code). Throws AppError: FORBIDDEN, TOTP_ALREADY_ENABLED,
 * TOTP_NOT_SET_UP, TOTP_NOT_ENABLED, WRONG_TOTP_CODE, TOTP_CODE_REPLAYED,
 * WRONG_PASSWORD.
 */
export function createTwoFactorService(deps: TwoFactorServiceDeps) {
  const { uow, passwords, clock, secretBox } = deps;
  const policy = { bureauTotpRequired: deps.bureauTotpRequired };

  async function ownAccount(actor: PublicUser): Promise<UserRow> {
    authorize(actor, 'auth.totp.manage');
    const user = await uow.repos.users.findById(actor.id);
    if (!user) throw new AppError('SESSION_EXPIRED');
    return user;
  }

  async function auditFailure(user: UserRow, action: 'auth.totp_enable_failure' | 'auth.totp_disable_failure', reason: string, at: Date, requestId?: string) {
    await uow.transaction((repos) =>
      repos.audit.record({ actor: user, action, entity: 'User', entityId: user.id, after: { reason }, requestId, at }),
    );
  }

  return {
    /** A new secret for the caller's account, replacing any earlier one not yet enabled. */
    async setup(actor: PublicUser): Promise<TotpEnrollment> {
      const user = await ownAccount(actor);
      if (user.totpEnabledAt) throw new AppError('TOTP_ALREADY_ENABLED');
      const secret = newTotpSecret();
      if (!(await uow.repos.users.setPendingTotpSecret(user.id, secretBox.seal(secret)))) throw new AppError('TOTP_ALREADY_ENABLED');
      const uri = totpUri({ secret, account: user.username });
      const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    },

    /** Turns two-factor sign-in on after a code from the app proves it holds the secret. */
    async enable(actor: PublicUser, props: { code: string; requestId?: string }): Promise<PublicUser> {
      const user = await ownAccount(actor);
      if (user.totpEnabledAt) throw new AppError('TOTP_ALREADY_ENABLED');
      if (!user.totpSecret) throw new AppError('TOTP_NOT_SET_UP');
      const now = clock.now();
      const step = matchTotp({ secret: openTotpSecret(secretBox, user.totpSecret), code: props.code, at: now });
      if (step === null) {
        await auditFailure(user, 'auth.totp_enable_failure', 'wrong_code', now, props.requestId);
        throw new AppError('WRONG_TOTP_CODE', { field: 'code' });
      }
      const updated = await uow.transaction(async (repos) => {
        const row = await repos.users.enableTotp(user.id, now, step);
        if (!row) throw new AppError('TOTP_ALREADY_ENABLED');
        await repos.audit.record({
          actor: user,
          action: 'auth.totp_enable',
          entity: 'User',
          entityId: user.id,
          before: { totpEnabled: false },
          after: { totpEnabled: true },
          requestId: props.requestId,
          at: now,
        });
        return row;
      });
      return toPublicUser(updated, policy);
    },

    /** Turns two-factor sign-in off; needs the password and a current code. */
    async disable(actor: PublicUser, props: { password: string; code: string; requestId?: string }): Promise<PublicUser> {
      const user = await ownAccount(actor);
      if (!user.totpEnabledAt || !user.totpSecret) throw new AppError('TOTP_NOT_ENABLED');
      const now = clock.now();
      if (!(await passwords.verify(user.passwordHash, props.password))) {
        await auditFailure(user, 'auth.totp_disable_failure', 'wrong_password', now, props.requestId);
        throw new AppError('WRONG_PASSWORD', { field: 'password' });
      }
      const step = matchTotp({ secret: openTotpSecret(secretBox, user.totpSecret), code: props.code, at: now });
      if (step === null) {
        await auditFailure(user, 'auth.totp_disable_failure', 'wrong_code', now, props.requestId);
        throw new AppError('WRONG_TOTP_CODE', { field: 'code' });
      }
      if (!isFreshTotpStep(step, user.totpLastStep) || !(await uow.repos.users.claimTotpStep(user.id, step))) {
        await auditFailure(user, 'auth.totp_disable_failure', 'replayed_code', now, props.requestId);
        throw new AppError('TOTP_CODE_REPLAYED', { field: 'code' });
      }
      const updated = await uow.transaction(async (repos) => {
        const row = await repos.users.disableTotp(user.id);
        await repos.audit.record({
          actor: user,
          action: 'auth.totp_disable',
          entity: 'User',
          entityId: user.id,
          before: { totpEnabled: true },
          after: { totpEnabled: false },
          requestId: props.requestId,
          at: now,
        });
        return row;
      });
      return toPublicUser(updated, policy);
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
