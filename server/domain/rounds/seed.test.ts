import { describe, expect, it } from 'vitest';
import { isSeedCommittedIn, seedCommitmentOf } from './seed';

describe('seed commitment', () => {
  it('is the lowercase hex SHA-256 of the seed in UTF-8', () => {
    expect(seedCommitmentOf('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(seedCommitmentOf('株洲')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is committed from applications_open on, not before', () => {
    expect(isSeedCommittedIn('setup')).toBe(false);
    expect(isSeedCommittedIn('plans_published')).toBe(false);
    expect(isSeedCommittedIn('applications_open')).toBe(true);
    expect(isSeedCommittedIn('round1')).toBe(true);
    expect(isSeedCommittedIn('closed')).toBe(true);
  });
});
