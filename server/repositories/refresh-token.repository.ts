import type { RefreshToken } from '../db';
import type { Db } from './index';

export type RefreshTokenRow = RefreshToken;

/** Persistence of refresh tokens (hashes only; the rules are in services/refresh-tokens.ts). */
export function createRefreshTokenRepository(db: Db) {
  return {
    findByHash(tokenHash: string): Promise<RefreshTokenRow | null> {
      return db.refreshToken.findUnique({ where: { tokenHash } });
    },

    create(data: { userId: string; familyId: string; tokenHash: string; tokenVersion: number; expiresAt: Date; createdAt: Date }): Promise<RefreshTokenRow> {
      return db.refreshToken.create({ data });
    },

    /**
     * Marks a token used, only if it is still unused and not revoked: one
     * conditional UPDATE, so of two requests racing with the same token
     * exactly one gets `true`.
     */
    async markUsed(id: string, at: Date): Promise<boolean> {
      const { count } = await db.refreshToken.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { usedAt: at } });
      return count === 1;
    },

    async setReplacedBy(id: string, replacedById: string): Promise<void> {
      await db.refreshToken.update({ where: { id }, data: { replacedById } });
    },

    /** Whether a sign-in (a family) has ended: any of its tokens revoked ends all of them. */
    async isFamilyRevoked(familyId: string): Promise<boolean> {
      return (await db.refreshToken.count({ where: { familyId, revokedAt: { not: null } }, take: 1 })) > 0;
    },

    /** Revokes every token of a family not revoked yet; returns how many. */
    async revokeFamily(familyId: string, at: Date): Promise<number> {
      const { count } = await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: at } });
      return count;
    },

    /** Revokes every token of a user not revoked yet (logout, password change); returns how many. */
    async revokeAllOfUser(userId: string, at: Date): Promise<number> {
      const { count } = await db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
      return count;
    },

    /** Deletes a user's tokens that expired before `before` (kept until then to recognise reuse). */
    async deleteExpiredOfUser(userId: string, before: Date): Promise<number> {
      const { count } = await db.refreshToken.deleteMany({ where: { userId, expiresAt: { lt: before } } });
      return count;
    },
  };
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>;
