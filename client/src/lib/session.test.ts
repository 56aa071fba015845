import { describe, expect, it } from 'vitest';
import { renewedElsewhere, shouldRenewSession } from './session';

describe('shouldRenewSession', () => {
  const expired = { status: 401, code: 'SESSION_EXPIRED' };

  it('renews once after an expired access token', () => {
    expect(shouldRenewSession(expired, { sentToken: true, retried: false })).toBe(true);
    expect(shouldRenewSession(expired, { sentToken: true, retried: true })).toBe(false);
  });

  it('does not renew without a token, or for other failures', () => {
    expect(shouldRenewSession(expired, { sentToken: false, retried: false })).toBe(false);
    for (const failure of [
      { status: 401, code: 'UNAUTHENTICATED' },
      { status: 401, code: 'INVALID_CREDENTIALS' },
      { status: 401, code: 'REFRESH_TOKEN_REUSED' },
      { status: 403, code: 'TOTP_ENROLLMENT_REQUIRED' },
      { status: 500, code: 'INTERNAL' },
    ]) {
      expect(shouldRenewSession(failure, { sentToken: true, retried: false }), failure.code).toBe(false);
    }
  });
});

describe('renewedElsewhere', () => {
  it('uses a newer stored token instead of renewing again', () => {
    expect(renewedElsewhere('old', 'new')).toBe('new');
    expect(renewedElsewhere('old', 'old')).toBeNull();
    expect(renewedElsewhere('old', null)).toBeNull();
  });
});
