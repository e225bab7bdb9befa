// Start-up milestones as performance marks (`slp:NAME`, first occurrence only), read by npm run
// bench:startup. Plain globals: a no-op where performance.mark is missing.
const seen = new Set<string>();

export const STARTUP_MARKS = [
  'engine-start',
  'backend-ready',
  'data-ready',
  'viewer-attach',
  'first-frame',
  'train-pressed',
  'first-step',
] as const;
export type StartupMark = (typeof STARTUP_MARKS)[number];

export function markOnce(name: StartupMark): void {
  if (seen.has(name)) return;
  seen.add(name);
  globalThis.performance?.mark?.(`slp:${name}`);
}
