// Run statuses and which of them are final: the trainer, the store, persistence and sweeps share them.
export const RUN_STATUSES = ['idle', 'running', 'paused', 'done', 'stopped', 'diverged', 'collapsed', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Terminal statuses: the run will not step again. */
export const TERMINAL_STATUSES: readonly RunStatus[] = ['done', 'stopped', 'diverged', 'collapsed', 'error'];

/** How a sweep's run can end (a sweep never stops a run half-way: it is cancelled whole). */
export const SWEEP_RESULT_STATUSES: readonly RunStatus[] = TERMINAL_STATUSES.filter((s) => s !== 'stopped');

export function isRunStatus(s: unknown): s is RunStatus {
  return typeof s === 'string' && (RUN_STATUSES as readonly string[]).includes(s);
}

export function isFinished(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
