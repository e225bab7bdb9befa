// Tests' engine-event recorder: an emit to hand to a Session, and the payloads of one event by name.
import type { EngineEvents } from '../api';

export function recorder() {
  const events: { name: keyof EngineEvents; payload: unknown }[] = [];
  const emit = <K extends keyof EngineEvents>(name: K, payload: EngineEvents[K]) => void events.push({ name, payload });
  const of = <K extends keyof EngineEvents>(name: K) =>
    events.filter((e) => e.name === name).map((e) => e.payload as EngineEvents[K]);
  return { emit, of };
}
