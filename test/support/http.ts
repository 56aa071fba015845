import { appendFileSync } from 'node:fs';
import { contractProblems } from './contract';

/**
 * A small JSON client for integration tests:
 *
 *     const api = apiClient(server.url);
 *     const { status, body } = await api.post('/api/auth/login', { username, password });
 *     const me = await api.get('/api/auth/me', { token: body.token });
 *
 * With `apiClient(server.url, { checkResponses: true })` every 2xx JSON answer
 * is checked against its schema in the OpenAPI document (./contract.ts) and the
 * request throws when it does not match, so the test fails on a wrong contract
 * (with CONTRACT_LOG=<file> set, the problems are appended to that file instead,
 * to list them all in one run).
 */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the response is not JSON, or null when empty. */
  body: T;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is (e.g. malformed JSON) instead of JSON.stringify(body). */
  rawBody?: string;
}

export interface ApiClientOptions {
  /** Throw when a 2xx JSON response does not match its documented schema (route, status, fields). */
  checkResponses?: boolean;
}

export function apiClient(baseUrl: string, clientOptions: ApiClientOptions = {}) {
  async function request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.rawBody;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text || null;
    const json = (response.headers.get('content-type') ?? '').includes('json');
    if (text && json) parsed = JSON.parse(text);
    if (clientOptions.checkResponses && json) {
      const problems = contractProblems(method, path, response.status, parsed);
      if (problems.length > 0 && process.env.CONTRACT_LOG) appendFileSync(process.env.CONTRACT_LOG, `${problems.join('\n')}\n`);
      else if (problems.length > 0) throw new Error(`response not as documented in the OpenAPI document:\n${problems.join('\n')}`);
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  return {
    request,
    get: <T = any>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
    post: <T = any>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
    put: <T = any>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
    /** Signs in and returns the token (throws unless 200). */
    async login(username: string, password: string): Promise<string> {
      const res = await request<{ token: string }>('POST', '/api/auth/login', { username, password });
      if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
