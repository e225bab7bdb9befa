// Heartbeat: pings the engine every everyMs; an engine that has given no sign of life for timeoutMs is
// reported silent (a worker killed by the browser sends no error event at all), and alive again if it
// answers after all. A sign is a ping's answer or any event: the worker posts 'alive' between kernels of
// a long step (postMessage works while its thread computes), so a slow step is not taken for a death.

export const HEARTBEAT_DEFAULTS = { everyMs: 1000, timeoutMs: 6000 };

export interface HeartbeatParams {
  ping: () => Promise<unknown>;
  onSilent: (silentMs: number) => void;
  onAlive?: () => void;
  everyMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

export interface Heartbeat {
  /** The engine showed it is alive (an event arrived). */
  sign(): void;
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
  const sign = () => {
    if (stopped) return;
    lastSign = now();
    if (silent) {
      silent = false;
      p.onAlive?.();
    }
  };
  const tick = () => {
    if (stopped) return;
    const waited = now() - lastSign;
    if (!silent && waited >= timeoutMs) {
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
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
