// Heartbeat: pings the engine every everyMs; an engine that has given no sign of life for timeoutMs is
// reported silent (a worker killed by the browser sends no error event at all), and alive again if it
// answers after all. A sign is a ping's answer or any event: the worker posts 'alive' between kernels of
// a long step (postMessage works while its thread computes), so a slow step is not taken for a death.
// One kernel cannot be interrupted, though (a 3D convolution on the plain cpu backend can take longer than
// the timeout): the silence allowed grows to twice the longest kernel the worker has reported, and, before
// any is known, to half the step time the run's estimate expects.

export const HEARTBEAT_DEFAULTS = { everyMs: 1000, timeoutMs: 6000 };
/** Silence allowed per ms of the longest kernel seen, and per ms of the expected step. */
export const KERNEL_ALLOWANCE = 2;
export const STEP_ALLOWANCE = 0.5;

export interface HeartbeatParams {
  ping: () => Promise<unknown>;
  onSilent: (silentMs: number) => void;
  onAlive?: () => void;
  everyMs?: number;
  timeoutMs?: number;
  /** What one training step is expected to take now (the run estimate), if anything runs. */
  expectedStepMs?: () => number;
  now?: () => number;
}

export interface Heartbeat {
  /** The engine showed it is alive (an event arrived), with the longest kernel it has run if it says. */
  sign(longestKernelMs?: number): void;
  /** The silence taken for a death now. */
  allowedMs(): number;
  stop(): void;
}

/** Starts pinging. */
export function startHeartbeat(p: HeartbeatParams): Heartbeat {
  const everyMs = p.everyMs ?? HEARTBEAT_DEFAULTS.everyMs;
  const timeoutMs = p.timeoutMs ?? HEARTBEAT_DEFAULTS.timeoutMs;
  const now = p.now ?? Date.now;
  let lastSign = now();
  let pinging = false;
  let silent = false;
  let stopped = false;
  let longestKernel = 0;
  const allowedMs = () => Math.max(timeoutMs, KERNEL_ALLOWANCE * longestKernel, STEP_ALLOWANCE * (p.expectedStepMs?.() ?? 0));
  const sign = (longestKernelMs?: number) => {
    if (stopped) return;
    if (longestKernelMs !== undefined && Number.isFinite(longestKernelMs))
      longestKernel = Math.max(longestKernel, longestKernelMs);
    lastSign = now();
    if (silent) {
      silent = false;
      p.onAlive?.();
    }
  };
  const tick = () => {
    if (stopped) return;
    const waited = now() - lastSign;
    if (!silent && waited >= allowedMs()) {
      silent = true;
      p.onSilent(waited);
    }
    if (pinging) return;
    pinging = true;
    const done = () => {
      pinging = false;
    };
    // A rejected ping (the client gave up on pending calls) is not an answer; the next one will tell.
    p.ping().then(() => {
      done();
      sign();
    }, done);
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return {
    sign,
    allowedMs,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
