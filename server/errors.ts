import { z } from 'zod';
import { actionRefusalMessage, isPhaseAction, type PhaseAction } from './domain/schedule/actions';
import { PHASE_NAMES, PHASES, type Phase } from './domain/schedule/schedule';
import { serviceOutage } from './outages';

/**
 * Typed errors. Services and policies throw `AppError` with a code; the one
 * error handler (server/middleware/error-handler.ts) turns it into
 *
 *     { "error": { "code", "message", "field"?, "details"? } }
 *
 * with the HTTP status and the message in the caller's language (zh-CN
 * first, English with `Accept-Language: en` or `?lang=en`). The status lives in
 * this catalog, not in the code that throws: domain and service code never
 * decide HTTP details.
 */

export type Lang = 'zh-CN' | 'en';

const PHASE_LABEL_ZH: Record<string, string> = Object.fromEntries(
  Object.entries(PHASE_NAMES).map(([phase, names]) => [phase, names['zh-CN']]),
);
const isPhase = (value: unknown): value is Phase => (PHASES as readonly unknown[]).includes(value);
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

type Params = Record<string, string | number>;

/** A wait for a message: seconds under a minute, else whole minutes (rounded up). */
function waitZh(seconds: number): string {
  return seconds < 60 ? `${seconds} 秒` : `${Math.ceil(seconds / 60)} 分钟`;
}
function waitEn(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
type Message = string | ((params: Params) => string);

interface ErrorSpec {
  status: number;
  'zh-CN': Message;
  en: Message;
}

export const ERROR_CATALOG = {
  VALIDATION_FAILED: { status: 400, 'zh-CN': '请求参数无效', en: 'The request is invalid' },
  MALFORMED_JSON: { status: 400, 'zh-CN': '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  MALFORMED_URL: { status: 400, 'zh-CN': '请求地址格式不正确（含有无效的 % 编码）', en: 'The request URL is malformed (invalid percent-encoding)' },
  BAD_REQUEST_SYNTAX: { status: 400, 'zh-CN': '请求格式不正确', en: 'The request is malformed' },
  HEADERS_TOO_LARGE: { status: 431, 'zh-CN': '请求地址或请求头过长', en: 'The request URL or headers are too long' },
  REQUEST_TIMEOUT: { status: 408, 'zh-CN': '请求发送超时，请重试', en: 'The request took too long to arrive, please try again' },
  UNREADABLE_BODY: { status: 400, 'zh-CN': '请求内容无法读取（压缩或编码格式不正确）', en: 'The request body could not be read (bad compression or encoding)' },
  PASSWORD_TOO_WEAK: {
    status: 400,
    'zh-CN': '新密码至少 8 位，须同时包含字母和数字，且不能包含用户名或与当前密码相同',
    en: 'The new password needs at least 8 characters with letters and digits, must not contain the username and must differ from the current one',
  },
  WRONG_PASSWORD: { status: 400, 'zh-CN': '当前密码不正确', en: 'The current password is incorrect' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录', en: 'Please sign in' },
  INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  SESSION_EXPIRED: { status: 401, 'zh-CN': '登录已失效，请重新登录', en: 'Your session has ended, please sign in again' },
  REFRESH_TOKEN_REUSED: {
    status: 401,
    'zh-CN': '登录凭证已被使用过，为安全起见该登录已全部失效，请重新登录',
    en: 'This sign-in was already renewed elsewhere; for safety it has been ended, please sign in again',
  },
  MFA_CHALLENGE_EXPIRED: {
    status: 401,
    'zh-CN': '验证已超时，请重新输入账号和密码',
    en: 'The verification step timed out, please enter your username and password again',
  },
  INVALID_TOTP_CODE: {
    status: 401,
    'zh-CN': '动态码错误，请输入身份验证器中当前的 6 位动态码',
    en: 'Wrong code: enter the current 6-digit code from your authenticator app',
  },
  WRONG_TOTP_CODE: {
    status: 400,
    'zh-CN': '动态码错误，请输入身份验证器中当前的 6 位动态码',
    en: 'Wrong code: enter the current 6-digit code from your authenticator app',
  },
  TOTP_CODE_REPLAYED: {
    status: 400,
    'zh-CN': '该动态码已使用过，请等待身份验证器显示下一个动态码',
    en: 'This code has already been used; wait for the next one in your authenticator app',
  },
  FORBIDDEN: { status: 403, 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  TOTP_ENROLLMENT_REQUIRED: {
    status: 403,
    'zh-CN': '教育局账号须先开启两步验证（身份验证器动态码）',
    en: 'Bureau accounts must turn on two-step verification (authenticator app) before continuing',
  },
  TOTP_ALREADY_ENABLED: { status: 409, 'zh-CN': '两步验证已开启', en: 'Two-step verification is already on' },
  TOTP_NOT_SET_UP: {
    status: 409,
    'zh-CN': '请先获取密钥并添加到身份验证器',
    en: 'Get a secret and add it to your authenticator app first',
  },
  TOTP_NOT_ENABLED: { status: 409, 'zh-CN': '两步验证未开启', en: 'Two-step verification is not on' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    'zh-CN': '首次登录须先修改密码',
    en: 'Please change your password before continuing',
  },
  NOT_FOUND: { status: 404, 'zh-CN': '请求的资源不存在', en: 'Not found' },
  NO_ACTIVE_CYCLE: { status: 404, 'zh-CN': '当前没有进行中的招生年度', en: 'There is no active admissions cycle' },
  PHASE_CLOSED: {
    status: 409,
    // With an action of the phase table, the message names the phase(s) that allow it.
    'zh-CN': (p) => (isPhaseAction(String(p.action)) && isPhase(p.phase) ? actionRefusalMessage(p.action as PhaseAction, p.phase, 'zh-CN') : `当前阶段（${PHASE_LABEL_ZH[String(p.phase)] ?? p.phase}）不能进行此操作`),
    en: (p) => (isPhaseAction(String(p.action)) && isPhase(p.phase) ? actionRefusalMessage(p.action as PhaseAction, p.phase, 'en') : `Not allowed in the current phase (${p.phase})`),
  },
  APPLICATION_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': (p) => `志愿已在其他页面或设备上修改（当前为第 ${p.current} 版），本次修改未保存，请刷新后再改`,
    en: (p) => `Your choices were changed elsewhere (now version ${p.current}); this save was not applied, reload and try again`,
  },
  CHOICE_REFUSED: {
    status: 400,
    'zh-CN': (p) => `${p.label}：${p.reasonZh}`,
    en: (p) => `${p.labelEn}: ${p.reasonEn}`,
  },
  NOT_ADMITTED: { status: 409, 'zh-CN': '你在本轮没有被录取，无需确认', en: 'You were not admitted in this round: there is nothing to confirm' },
  ALREADY_CONFIRMED: { status: 409, 'zh-CN': '你已提交过确认结果，不能更改', en: 'You have already answered; the answer cannot be changed' },
  NOT_IN_SUPPLEMENTARY: {
    status: 409,
    'zh-CN': '你不在补录范围内：第一轮未被录取的考生可以参加补录；放弃录取的考生能否参加，由本年度招生政策决定',
    en: 'You are not in the supplementary round: students unplaced in round 1 take part; whether students who declined a seat may, this year\'s policy decides',
  },
  ROUND_NOT_FINISHED: {
    status: 409,
    'zh-CN': '该轮录取尚未运行完成，请稍后再试',
    en: 'This round has not finished running yet',
  },
  ROUND_NOT_PUBLISHABLE: {
    status: 409,
    'zh-CN': (p) => `该轮不能发布：${p.reasonZh}`,
    en: (p) => `This round cannot be published: ${p.reasonEn}`,
  },
  ROUND_ALREADY_PUBLISHED: {
    status: 409,
    'zh-CN': '本年度已发布过该类录取结果，不能重复发布',
    en: 'A round of this kind has already been published this year',
  },
  /** A main round (round 1) with nobody to place: no application counted at the deadline (issue 13). */
  NO_APPLICATIONS: {
    status: 409,
    'zh-CN': '没有已提交的志愿（截止时没有任何学生提交志愿），不能运行正式录取轮次',
    en: 'No submitted applications: no student had submitted choices by the deadline, so round 1 cannot run',
  },
  NO_PUBLISHED_ROUND: {
    status: 409,
    'zh-CN': '第一轮录取结果尚未发布',
    en: 'The round 1 results have not been published yet',
  },
  NO_SEATS_LEFT: {
    status: 400,
    'zh-CN': (p) => `${p.school}：该校没有补录余额或不在第 ${p.batch} 批次`,
    en: (p) => `${p.school}: the school has no seats left for the supplementary round or is not in batch ${p.batch}`,
  },
  IMPORT_INVALID: {
    status: 400,
    'zh-CN': (p) => `导入文件有 ${p.count} 处错误，未写入任何数据，请修改后重新上传`,
    en: (p) => `The file has ${p.count} problem(s); nothing was imported. Fix them and upload again`,
  },
  IMPORT_UNREADABLE: { status: 400, 'zh-CN': (p) => String(p.zh), en: (p) => String(p.en) },
  /** A text file whose text cannot be read (wrong encoding): the message names the first such row; details.problems lists them all. */
  IMPORT_ENCODING: { status: 400, 'zh-CN': (p) => String(p.zh), en: (p) => String(p.en) },
  IMPORT_CONFLICT: {
    status: 409,
    'zh-CN': '另一项导入同时写入了相同的考生，本次未写入任何数据，请重新上传',
    en: 'Another import wrote the same students at the same time; nothing was imported, upload the file again',
  },
  CYCLE_YEAR_TAKEN: { status: 409, 'zh-CN': (p) => `${p.year} 年的招生年度已存在`, en: (p) => `A cycle for ${p.year} already exists` },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求内容过大', en: 'The request body is too large' },
  /** Failed sign-ins from this address for this name (auth.rules.ts): answered without checking, with Retry-After. Never a lock. */
  SIGN_IN_THROTTLED: {
    status: 429,
    'zh-CN': (p) => `该账号在本设备上登录失败次数过多，请 ${waitZh(Number(p.seconds))}后再试`,
    en: (p) => `Too many failed attempts for this account from this device; try again in ${waitEn(Number(p.seconds))}`,
  },
  /* school portals (issue 6) */
  RESULTS_NOT_PUBLISHED: { status: 409, 'zh-CN': '录取结果尚未公布', en: 'The admission results are not published yet' },
  PLAN_NOT_FOUND: { status: 404, 'zh-CN': '本年度还没有该校的招生计划', en: 'The school has no plan in this cycle' },
  PLAN_RULE_BROKEN: {
    status: 400,
    'zh-CN': (p) => `招生计划不符合规定：${p.reasonZh}`,
    en: (p) => `The plan breaks a rule: ${p.reasonEn}`,
  },
  PLAN_NO_CHANGE: { status: 400, 'zh-CN': '申请没有修改任何计划内容', en: 'The request changes nothing in the plan' },
  PLAN_REQUEST_DECIDED: { status: 409, 'zh-CN': '该申请已处理，不能重复处理', en: 'This request has already been decided' },
  /** Issue 17: the lottery seed is committed (its hash published) once applications open. */
  SEED_COMMITTED: {
    status: 409,
    'zh-CN': '志愿填报开始后摇号种子已公布承诺值（SHA-256），不能再修改',
    en: 'The lottery seed is committed (its SHA-256 published) once applications open; it can no longer change',
  },
  /** Four eyes (PUBLISH_APPROVALS): the second approval must come from another city-bureau account. */
  ALREADY_APPROVED: {
    status: 409,
    'zh-CN': '您已批准过，需由另一名市教育局账号再次批准',
    en: 'You have approved this already; a different city-bureau account must give the second approval',
  },
  REGISTRATION_IMPORT_INVALID: {
    status: 400,
    'zh-CN': (p) => `导入文件第 ${p.row} 行：${p.messageZh}`,
    en: (p) => `Import file, row ${p.row}: ${p.messageEn}`,
  },
  /* kindergarten registry (issue 18) */
  KINDERGARTEN_FILING_PENDING: {
    status: 409,
    'zh-CN': '已有一项备案正在等待审核，请等审核完成后再提交新的备案',
    en: 'A filing is already waiting for review; submit a new one after it is decided',
  },
  KINDERGARTEN_FILING_DECIDED: { status: 409, 'zh-CN': '该备案已审核，不能重复处理', en: 'This filing has already been decided' },
  /* oversight (issue 7) */
  UNKNOWN_HIGH_SCHOOL: { status: 400, 'zh-CN': 'highSchoolId：没有这所高中，请从列表中选择或直接填写学校名称', en: 'highSchoolId: no such high school; pick one from the list or type the school name' },
  /* accounts and activation codes */
  INVALID_ACTIVATION_CODE: {
    status: 400,
    'zh-CN': '用户名或激活码不正确，或激活码已使用、已过期；请核对，或向学校、教育局重新领取激活码',
    en: 'Wrong username or activation code, or the code was used or has expired; check it, or ask your school or bureau for a new one',
  },
  UNKNOWN_ACCOUNT: { status: 400, 'zh-CN': (p) => `没有账号 ${p.username}，未生成任何激活码`, en: (p) => `There is no account ${p.username}; no code was issued` },
  ACCOUNT_OUT_OF_SCOPE: {
    status: 403,
    'zh-CN': (p) => `不能为账号 ${p.username} 生成激活码（账号不存在或不在你的管理范围内），未生成任何激活码`,
    en: (p) => `You cannot issue a code for ${p.username} (no such account, or outside your remit); no code was issued`,
  },
  UNKNOWN_JUNIOR_SCHOOL: { status: 400, 'zh-CN': (p) => `juniorSchoolId：没有初中 ${p.id}`, en: (p) => `juniorSchoolId: there is no junior school ${p.id}` },
  /* rank and the score table (issue 17) */
  UNKNOWN_REGION: { status: 404, 'zh-CN': (p) => `region：本年度没有地区“${p.code}”`, en: (p) => `region: there is no region "${p.code}" in this cycle` },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests, please try again later' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal server error, please try again later' },
  TOTP_UNAVAILABLE: {
    status: 503,
    'zh-CN': '两步验证暂时无法使用（服务器密钥已更改），请联系系统管理员',
    en: 'Two-step verification is unavailable (the server key changed); please contact the administrator',
  },
  SERVICE_UNAVAILABLE: { status: 503, 'zh-CN': '服务暂不可用', en: 'Service unavailable' },
  /* PostgreSQL or Redis out of reach (server/outages.ts): answered with Retry-After */
  DATABASE_UNAVAILABLE: { status: 503, 'zh-CN': '数据库暂不可用，请稍后重试', en: 'The database is unavailable at the moment, please try again shortly' },
  QUEUE_UNAVAILABLE: { status: 503, 'zh-CN': '后台任务队列暂不可用，请稍后重试', en: 'The job queue is unavailable at the moment, please try again shortly' },
} satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

export interface FieldProblem {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** The request field the error is about (dot path, e.g. `newPassword` or `choices.0.schoolId`). */
  field?: string;
  /** Values interpolated into the message (e.g. `{ minutes: 15 }`). */
  params?: Params;
  /** Extra machine-readable data returned to the client. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly field?: string;
  readonly params: Params;
  readonly details?: unknown;

  constructor(
    readonly code: ErrorCode,
    options: AppErrorOptions = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CATALOG[code].status;
    this.field = options.field;
    this.params = options.params ?? {};
    this.details = options.details;
  }
}

/** The message of a code in a language, with its parameters filled in. */
export function errorMessage(code: ErrorCode, lang: Lang, params: Params = {}): string {
  const message: Message = ERROR_CATALOG[code][lang];
  return typeof message === 'function' ? message(params) : message;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: unknown };
}

export interface MappedError {
  status: number;
  body: ErrorBody;
  /** True when the error is a bug or an outage rather than a client mistake: log it. */
  unexpected: boolean;
}

/** Turns a zod issue path into the dot path used in `field`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/** `field: message` problems of a zod error, in the order zod found them. */
export function zodProblems(error: z.ZodError, prefix?: string): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: fieldPath(prefix ? [prefix, ...issue.path] : issue.path) || (prefix ?? ''),
    message: issue.message,
  }));
}

/** A validation failure: the first problem is the message, all of them are in `details`. */
export function validationError(problems: FieldProblem[]): AppError {
  return new AppError('VALIDATION_FAILED', { field: problems[0]?.field, details: problems });
}

export function appErrorBody(error: AppError, lang: Lang): ErrorBody {
  let message = errorMessage(error.code, lang, error.params);
  if (error.code === 'VALIDATION_FAILED' && Array.isArray(error.details) && error.details.length > 0) {
    const first = error.details[0] as FieldProblem;
    message = first.field ? `${first.field}: ${first.message}` : first.message;
  }
  return {
    error: {
      code: error.code,
      message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
}

function fromCode(code: ErrorCode, lang: Lang, unexpected = false): MappedError {
  return { status: ERROR_CATALOG[code].status, body: appErrorBody(new AppError(code), lang), unexpected };
}

/** An http-errors 400 (as the body parsers raise) that is safe to tell the client about. */
function isExposedBadRequest(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return status === 400 && expose === true;
}

/**
 * Pure: maps anything thrown during a request to a status and a body. Known
 * errors keep their code; body-parser failures become MALFORMED_JSON,
 * PAYLOAD_TOO_LARGE or UNREADABLE_BODY; a broken %-escape in the path
 * becomes MALFORMED_URL; a stray ZodError becomes VALIDATION_FAILED; PostgreSQL or
 * Redis out of reach becomes DATABASE_UNAVAILABLE or QUEUE_UNAVAILABLE (503);
 * everything else is a generic INTERNAL error that says nothing about the cause.
 */
export function mapError(error: unknown, lang: Lang): MappedError {
  if (error instanceof AppError) {
    return { status: error.status, body: appErrorBody(error, lang), unexpected: error.status >= 500 };
  }
  if (error instanceof z.ZodError) {
    const mapped = validationError(zodProblems(error));
    return { status: mapped.status, body: appErrorBody(mapped, lang), unexpected: false };
  }
  // Errors raised by express.json() (body-parser) carry a `type`.
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  if (type === 'entity.parse.failed') return fromCode('MALFORMED_JSON', lang);
  if (type === 'entity.too.large') return fromCode('PAYLOAD_TOO_LARGE', lang);
  // Other body-parser failures (unsupported charset or encoding, aborted upload) are client mistakes too.
  if (typeof type === 'string' && /^(encoding|charset|request)\./.test(type)) return fromCode('VALIDATION_FAILED', lang);
  // A path parameter with a broken %-escape (`/api/rounds/%E0%A4%A`): the router fails to decode it.
  if (error instanceof URIError) return fromCode('MALFORMED_URL', lang);
  // A body the parser could not read (e.g. `Content-Encoding: gzip` on bytes that are not gzip): an http-errors 400 meant for the client.
  if (isExposedBadRequest(error)) return fromCode('UNREADABLE_BODY', lang);
  // PostgreSQL or Redis stopped or unreachable: an outage to wait out, not a bug.
  const outage = serviceOutage(error);
  if (outage) return fromCode(outage === 'database' ? 'DATABASE_UNAVAILABLE' : 'QUEUE_UNAVAILABLE', lang, true);
  return fromCode('INTERNAL', lang, true);
}
