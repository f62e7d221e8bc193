import type { ErrorBody, ErrorIssue } from '../lib/errors';

/** What every failed call throws on the client: the server's error body, or NETWORK. */
export class ApiError extends Error {
  readonly code: string;
  readonly issues: ErrorIssue[];
  readonly requestId?: string;
  constructor(code: string, message: string, issues: ErrorIssue[] = [], requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
    this.requestId = requestId;
  }
}

export const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';

export const networkError = () => new ApiError('NETWORK', NETWORK_MESSAGE);

export const fromBody = (e: Partial<ErrorBody> | undefined): ApiError =>
  new ApiError(
    typeof e?.code === 'string' ? e.code : 'INTERNAL',
    typeof e?.message === 'string' && e.message ? e.message : '服务暂时不可用，请稍后再试',
    Array.isArray(e?.issues) ? e.issues : [],
    e?.requestId,
  );

export const toApiError = (e: unknown): ApiError => {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && typeof (e as ErrorBody).code === 'string') return fromBody(e as ErrorBody);
  return new ApiError('INTERNAL', '出了点问题，请稍后再试');
};

/** The text to show a person: the first field message for invalid input, else the message. */
export const displayMessage = (e: ApiError): string =>
  e.code === 'INPUT.INVALID' && e.issues[0]?.message ? e.issues[0].message : e.message;

/** The message for one form field (`path[0] === field`), if the server flagged it. */
export const fieldError = (e: ApiError | null | undefined, field: string): string | undefined =>
  e?.issues.find((i) => i.path[0] === field)?.message;
