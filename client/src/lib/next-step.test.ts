import { describe, expect, it } from 'vitest';
import { NEXT_STEPS } from '../../../server/domain/applications/next-step';
import type { NextStep } from '../api/student';
import { studentMessages } from '../i18n/student';

describe('next-step sentences', () => {
  it('has a sentence for every step the server sends, in Chinese and in English', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const sentences = studentMessages[lang].next as Record<string, string>;
      const missing = NEXT_STEPS.filter((step) => !sentences[step]?.trim());
      expect(missing, `${lang} lacks next.* for`).toEqual([]);
      // No sentence for a code the server no longer sends.
      expect(Object.keys(sentences).filter((k) => !(NEXT_STEPS as readonly string[]).includes(k)), `${lang} has stale next.*`).toEqual([]);
    }
  });

  it('keeps the client type in step with the server codes', () => {
    // Both directions at compile time: each server code is a client NextStep and back.
    const fromServer: readonly NextStep[] = NEXT_STEPS;
    const clientOnly: Exclude<NextStep, (typeof NEXT_STEPS)[number]> extends never ? true : false = true;
    expect(fromServer.length).toBe(new Set(NEXT_STEPS).size);
    expect(clientOnly).toBe(true);
  });
});
