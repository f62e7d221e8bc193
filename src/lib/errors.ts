/** Stable error codes cross process boundaries; `instanceof` does not. */
export interface ErrorIssue {
  path: (string | number)[];
  message: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  issues?: ErrorIssue[];
  requestId?: string;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Thrown by actions and adapters; dispatch turns it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: string;
  readonly issues?: ErrorIssue[];
  constructor(code: string, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }
}

export const isAppError = (e: unknown): e is AppError =>
  e instanceof Error && typeof (e as AppError).code === 'string' && (e as Error).name === 'AppError';

/** Codes shared by every area. Areas add their own as `AREA.REASON`. */
export const ErrorCodes = {
  INPUT_INVALID: 'INPUT.INVALID',
  UNAUTHENTICATED: 'AUTH.UNAUTHENTICATED',
  FORBIDDEN: 'AUTH.FORBIDDEN',
  UNKNOWN_ACTION: 'ACTION.UNKNOWN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'STORE.CONFLICT',
  DUPLICATE: 'STORE.DUPLICATE',
  INTERNAL: 'INTERNAL',
  NETWORK: 'NETWORK',
} as const;

export const forbidden = (message = '没有权限执行此操作') => new AppError(ErrorCodes.FORBIDDEN, message);
export const notFound = (code: string, message: string) => new AppError(code, message);
