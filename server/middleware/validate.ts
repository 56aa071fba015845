import type { RequestHandler } from 'express';
import { z } from 'zod';
import { validationError, fieldPath, type FieldProblem, type Lang } from '../errors';

/** Zod's built-in messages in each supported language (schema-level custom messages win). */
const LOCALE_ERRORS: Record<Lang, z.core.$ZodErrorMap> = {
  'zh-CN': z.locales.zhCN().localeError,
  en: z.locales.en().localeError,
};

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : unknown;

const NUL_MESSAGE: Record<Lang, string> = {
  'zh-CN': '不能包含空字符（\\u0000）',
  en: 'must not contain a NUL character (\\u0000)',
};

/**
 * Strings holding U+0000, which PostgreSQL text cannot store (nor compare):
 * refused here with the field named, rather than failing in the database.
 * Iterative, so a deeply nested value cannot overflow the stack.
 */
function nulCharacters(value: unknown, part: string, lang: Lang): FieldProblem[] {
  interface Step {
    value: unknown;
    key?: string;
    parent?: Step;
  }
  const fieldOf = (step: Step | undefined): string => {
    const path: string[] = [];
    for (let s = step; s?.key !== undefined; s = s.parent) path.unshift(s.key);
    return fieldPath(path) || part;
  };
  const problems: FieldProblem[] = [];
  const stack: Step[] = [{ value }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (typeof step.value === 'string') {
      if (step.value.includes('\u0000')) problems.push({ field: fieldOf(step), message: NUL_MESSAGE[lang] });
    } else if (step.value !== null && typeof step.value === 'object') {
      for (const [key, inner] of Object.entries(step.value)) {
        if (key.includes('\u0000')) problems.push({ field: fieldOf(step), message: NUL_MESSAGE[lang] });
        stack.push({ value: inner, key, parent: step });
      }
    }
  }
  return problems;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const FORBIDDEN_KEY_MESSAGE: Record<Lang, string> = {
  'zh-CN': '不允许使用 __proto__、constructor 或 prototype 作为键名',
  en: 'the keys __proto__, constructor and prototype are not allowed',
};

/**
 * Keys that would reach an object's prototype once copied into a plain
 * object (`__proto__`, `constructor`, `prototype`), anywhere in the raw input:
 * refused before zod sees it, since a record schema would silently drop or
 * misassign them. Iterative like nulCharacters.
 */
function forbiddenKeys(value: unknown, part: string, lang: Lang): FieldProblem[] {
  interface Step {
    value: unknown;
    key?: string;
    parent?: Step;
  }
  const problems: FieldProblem[] = [];
  const stack: Step[] = [{ value }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.value === null || typeof step.value !== 'object') continue;
    for (const key of Object.keys(step.value)) {
      const inner: Step = { value: (step.value as Record<string, unknown>)[key], key, parent: step };
      if (!FORBIDDEN_KEYS.has(key)) {
        stack.push(inner);
        continue;
      }
      const path: string[] = [];
      for (let s: Step | undefined = inner; s?.key !== undefined; s = s.parent) path.unshift(s.key);
      problems.push({ field: fieldPath(path) || part, message: FORBIDDEN_KEY_MESSAGE[lang] });
    }
  }
  return problems;
}

/**
 * Validates and parses the parts of a request with zod. The parsed values
 * replace `req.body`, `req.query` and `req.params`, so the handler reads
 * coerced, defaulted, stripped data; no string in it holds U+0000. Failure: 400 VALIDATION_FAILED whose
 * message is the first `field: message` in the caller's language, with every
 * problem in `details`.
 */
export function validate<S extends RequestSchemas>(
  schemas: S,
): RequestHandler<Out<S['params']> & Record<string, string>, unknown, Out<S['body']>, Out<S['query']>> {
  const parts = (['params', 'query', 'body'] as const).filter((part) => schemas[part] !== undefined);
  return (req, _res, next) => {
    const problems: FieldProblem[] = [];
    const parsed: Partial<Record<'params' | 'query' | 'body', unknown>> = {};
    for (const part of parts) problems.push(...forbiddenKeys(req[part], part, req.lang ?? 'zh-CN'));
    if (problems.length > 0) throw validationError(problems);
    for (const part of parts) {
      const result = schemas[part]!.safeParse(req[part], { error: LOCALE_ERRORS[req.lang ?? 'zh-CN'] });
      if (result.success) parsed[part] = result.data;
      else
        for (const issue of result.error.issues)
          problems.push({ field: fieldPath(issue.path) || part, message: issue.message });
    }
    for (const part of parts) if (part in parsed) problems.push(...nulCharacters(parsed[part], part, req.lang ?? 'zh-CN'));
    if (problems.length > 0) throw validationError(problems);

    if ('body' in parsed) req.body = parsed.body as Out<S['body']>;
    if ('params' in parsed) req.params = parsed.params as Out<S['params']> & Record<string, string>;
    // Express 5 defines `query` as a getter; an own property shadows it for the rest of this request.
    if ('query' in parsed) Object.defineProperty(req, 'query', { value: parsed.query, writable: true, configurable: true, enumerable: true });
    next();
  };
}
