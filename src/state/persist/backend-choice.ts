// The backend auto chose by measurement, remembered per device and network (localStorage), so a
// reload starts on it without timing again. The engine applies one only where its device key matches.
import type { RememberedChoice } from '../../engine/backend/measure';

export type { RememberedChoice } from '../../engine/backend/measure';

const KEY = 'slp.backend-choice.v1';
/** Devices x networks kept at most (a browser profile sees few of either). */
const MAX_ENTRIES = 16;

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function isChoice(v: unknown): v is RememberedChoice {
  const c = v as RememberedChoice;
  return (
    typeof c?.deviceKey === 'string' &&
    typeof c.network === 'string' &&
    typeof c.backend === 'string' &&
    Array.isArray(c.measured)
  );
}

export class BackendChoices {
  /** null: nothing is kept (no localStorage, or it is blocked). */
  constructor(private readonly storage: KeyValue | null = defaultStorage()) {}

  /** The choices made for this network (on any device: the engine picks the one for its own). */
  forNetwork(network: string): RememberedChoice[] {
    return this.all().filter((c) => c.network === network);
  }

  /** Keeps a measured choice, replacing the one for the same device and network. */
  remember(choice: RememberedChoice): void {
    const rest = this.all().filter((c) => c.deviceKey !== choice.deviceKey || c.network !== choice.network);
    this.write([...rest, choice].slice(-MAX_ENTRIES));
  }

  private all(): RememberedChoice[] {
    try {
      const parsed: unknown = JSON.parse(this.storage?.getItem(KEY) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter(isChoice) : [];
    } catch {
      return []; // a damaged entry is forgotten, never fatal
    }
  }

  private write(list: RememberedChoice[]): void {
    try {
      this.storage?.setItem(KEY, JSON.stringify(list));
    } catch {
      // Quota or privacy mode: the next load measures again.
    }
  }
}

function defaultStorage(): KeyValue | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null; // reading localStorage throws where storage is blocked
  }
}

/** The page's _measure=all: software backends count as usable, so auto's measurement shows anywhere. */
export function measureAllRequested(search: string): boolean {
  return new URLSearchParams(search).get('_measure') === 'all';
}
