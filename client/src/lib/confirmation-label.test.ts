import { describe, expect, it } from 'vitest';
import { confirmationLabelKey, confirmationTone } from './confirmation-label';

describe('confirmationLabelKey', () => {
  it('shows an answer as given', () => {
    expect(confirmationLabelKey('confirmed', 'pending')).toBe('confirmation.confirmed');
    expect(confirmationLabelKey('declined', 'confirmed')).toBe('confirmation.declined');
    expect(confirmationLabelKey('confirmed', 'declined')).toBe('confirmation.confirmed');
  });

  it('shows silence as pending while the window is open, then as what the policy counts it as', () => {
    expect(confirmationLabelKey('pending', 'pending')).toBe('confirmation.pending');
    expect(confirmationLabelKey('pending', undefined)).toBe('confirmation.pending');
    expect(confirmationLabelKey('pending', 'confirmed')).toBe('silence.confirmed');
    expect(confirmationLabelKey('pending', 'declined')).toBe('silence.declined');
  });

  it('has no answer for a 补录 seat', () => {
    expect(confirmationLabelKey(null, 'confirmed')).toBeNull();
  });
});

describe('confirmationTone', () => {
  it('is red for a seat given up, green for one kept, grey while open', () => {
    expect(confirmationTone('declined', 'pending')).toBe('danger');
    expect(confirmationTone('pending', 'declined')).toBe('danger');
    expect(confirmationTone('pending', 'confirmed')).toBe('success');
    expect(confirmationTone('confirmed', 'pending')).toBe('success');
    expect(confirmationTone(null, 'pending')).toBe('success');
    expect(confirmationTone('pending', 'pending')).toBe('info');
  });
});
