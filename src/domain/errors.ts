// Why an engine call failed, as a small closed set of codes: errors cross the worker as this data and
// the page switches on `code`, never on the message's wording.

export const ERROR_CODES = [
  /** The request is malformed or contradicts itself (wrong network for the data, bad user files). */
  'invalid-request',
  /** A loss option is unknown or out of range; `problems` names each field. */
  'invalid-options',
  /** Nothing prepared yet: no data to train on, segment or export. */
  'no-data',
  /** No runs created yet (or not the run asked for). */
  'no-runs',
  /** The backend ran out of memory (wasm heap, GPU, JS arrays). */
  'out-of-memory',
  /** The GPU under the backend went away (WebGPU device, WebGL context). */
  'device-lost',
  /** Not available here (this backend, this thread, drills off). */
  'unsupported',
  /** A named thing (checkpoint, file, URL) does not exist. */
  'not-found',
  /** Stopped on purpose before it finished. */
  'aborted',
  /** Anything else: a bug or an unexpected failure. */
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One thing wrong with a request, named by the field (or file) it is about. */
export interface ErrorProblem {
  field: string;
  message: string;
}

/** An error as plain data (structured-clone safe). */
export interface ErrorData {
  name: string;
  code: ErrorCode;
  message: string;
  problems?: ErrorProblem[];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly problems?: ErrorProblem[];

  constructor(code: ErrorCode, message: string, options: { problems?: ErrorProblem[]; name?: string } = {}) {
    super(message);
    this.name = options.name ?? 'EngineError';
    this.code = code;
    if (options.problems) this.problems = options.problems.map((p) => ({ field: p.field, message: p.message }));
  }
}

/** The error's code: an EngineError's own, 'internal' for anything else (the engine classifies before this). */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof EngineError ? err.code : 'internal';
}

/** Plain data for an error; anything thrown that is not an EngineError is 'internal'. */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof EngineError) {
    const data: ErrorData = { name: err.name, code: err.code, message: err.message };
    if (err.problems) data.problems = err.problems.map((p) => ({ field: p.field, message: p.message }));
    return data;
  }
  if (err instanceof Error) return { name: err.name, code: 'internal', message: err.message };
  return { name: 'Error', code: 'internal', message: String(err) };
}

/** The EngineError that data describes; an unknown code (a newer engine) reads as 'internal'. */
export function fromErrorData(data: ErrorData): EngineError {
  if (!data || typeof data !== 'object') return new EngineError('internal', String(data));
  const code = isErrorCode(data.code) ? data.code : 'internal';
  const problems = Array.isArray(data.problems) ? data.problems : undefined;
  return new EngineError(code, String(data.message), { problems, name: typeof data.name === 'string' ? data.name : undefined });
}
