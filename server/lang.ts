import type { Lang } from './errors';

/**
 * Pure: the language of a response. An explicit `?lang=` wins (`en`, `en-US`,
 * `zh`, `zh-CN`); otherwise the Accept-Language entry with the highest
 * q-value among the two supported languages; otherwise zh-CN, the platform's
 * first language.
 */
export function pickLanguage(queryLang: unknown, acceptLanguage: string | undefined): Lang {
  if (typeof queryLang === 'string') {
    const explicit = normalize(queryLang);
    if (explicit) return explicit;
  }
  if (!acceptLanguage) return 'zh-CN';

  let best: { lang: Lang; q: number } | null = null;
  for (const part of acceptLanguage.split(',')) {
    const [tag, ...attributes] = part.trim().split(';');
    const lang = normalize(tag);
    if (!lang) continue;
    const qAttribute = attributes.map((a) => a.trim()).find((a) => a.startsWith('q='));
    const q = qAttribute ? Number(qAttribute.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? 'zh-CN';
}

function normalize(tag: string): Lang | null {
  const lower = tag.trim().toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  return null;
}
