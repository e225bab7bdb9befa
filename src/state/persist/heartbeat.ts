// Heartbeat: pings the engine every everyMs; an engine that has not answered one ping for timeoutMs is
// reported silent (a worker killed by the browser sends no error event at all), and alive again if it
// answers after all (a long synchronous step only looked dead).

export const HEARTBEAT_DEFAULTS = { everyMs: 2000, timeoutMs: 45_000 };

export interface HeartbeatParams {
  ping: () => Promise<unknown>;
  onSilent: (silentMs: number) => void;
  onAlive?: () => void;
  everyMs?: number;
  timeoutMs?: number;
  now?: () => number;
}

/** Starts pinging; returns stop. */
export function startHeartbeat(p: HeartbeatParams): () => void {
  const everyMs = p.everyMs ?? HEARTBEAT_DEFAULTS.everyMs;
  const timeoutMs = p.timeoutMs ?? HEARTBEAT_DEFAULTS.timeoutMs;
  const now = p.now ?? Date.now;
  let sentAt: number | null = null;
  let silent = false;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (sentAt !== null) {
      const waited = now() - sentAt;
      if (!silent && waited >= timeoutMs) {
        silent = true;
        p.onSilent(waited);
      }
      return;
    }
    sentAt = now();
    const answered = () => {
      if (stopped) return;
      sentAt = null;
      if (silent) {
        silent = false;
        p.onAlive?.();
      }
    };
    // A rejected ping (the client gave up on pending calls) is not an answer; the next one will tell.
    p.ping().then(answered, () => {
      if (!stopped) sentAt = null;
    });
  };
  const timer = setInterval(tick, everyMs);
  tick();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
