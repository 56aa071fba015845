import ExcelJS from 'exceljs';

/**
 * HTTP calls for tests that look for data in every kind of answer: JSON, text
 * and Excel downloads (an .xlsx is a zip, so its cells are read back with
 * exceljs). `text` is what a person could read out of the answer:
 *
 *     const res = await readableRequest(server.url, 'GET', '/api/quotas/export', { token });
 *     expect(res.text).not.toContain(idCardNo);
 */
export interface ReadableResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else null. */
  json: any;
  /** The body as text; for a workbook, every cell of every sheet, tab-separated. */
  text: string;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every cell of every sheet of a workbook, one row per line. */
export async function workbookText(bytes: ArrayBuffer | Buffer): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  const lines: string[] = [];
  for (const sheet of workbook.worksheets) {
    lines.push(`# ${sheet.name}`);
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1).map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v ?? '')));
      lines.push(values.join('\t'));
    });
  }
  return lines.join('\n');
}

export async function readableRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer<ArrayBuffer>; headers?: Record<string, string> } = {},
): Promise<ReadableResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | Buffer<ArrayBuffer> | undefined = options.rawBody;
  if (payload === undefined && options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const type = response.headers.get('content-type') ?? '';
  if (type.includes(XLSX_TYPE)) {
    const bytes = await response.arrayBuffer();
    return { status: response.status, headers: response.headers, json: null, text: await workbookText(bytes) };
  }
  const text = await response.text();
  let json: unknown = null;
  if (text && type.includes('json')) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, json, text };
}
