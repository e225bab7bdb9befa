// The one store helper of src/state: immutable state, getState/subscribe for useSyncExternalStore,
// and set(patch). Controllers extend it; React only subscribes.
type Listener = () => void;

export class Observable<S extends object> {
  private current: S;
  private readonly listeners = new Set<Listener>();

  constructor(initial: S) {
    this.current = initial;
  }

  getState = (): S => this.current;

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** Replaces the fields in `patch` (a new state object) and tells every subscriber. */
  protected set(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    this.notify();
  }

  /** Replaces the fields without telling anyone yet (a throttled store notifies later). */
  protected stage(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
  }

  protected notify(): void {
    for (const l of this.listeners) l();
  }

  protected clearListeners(): void {
    this.listeners.clear();
  }
}
