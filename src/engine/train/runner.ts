// Plays one or more trainers: a single run, or a race advanced in lockstep (round-robin, one step
// each per round) so their curves grow together. Stopping is an input: a generation counter.
import { engineError } from '../errors';
import type { Trainer } from './trainer';
import { yieldMacrotask } from './yield';

export class Runner {
  readonly trainers: Trainer[];
  private playing = false;
  private generation = 0;
  private looping: Promise<void> | null = null;
  /** A pending between(): the loop stops at the end of the round until gate opens. */
  private hold: { arrived: () => void; gate: Promise<void> } | null = null;
  private holds: Promise<unknown> = Promise.resolve();

  constructor(trainers: Trainer[], signal?: AbortSignal) {
    this.trainers = trainers;
    signal?.addEventListener('abort', () => void this.stop());
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  get active(): Trainer[] {
    return this.trainers.filter((t) => !t.finished);
  }

  play(): void {
    if (this.playing || this.active.length === 0) return;
    this.playing = true;
    for (const t of this.active) t.setStatus('running');
    const gen = ++this.generation;
    this.looping = this.loop(gen);
  }

  /** Pauses after the step in flight; resolves once the loop has really stopped. */
  async pause(): Promise<void> {
    if (!this.playing) return;
    this.playing = false;
    this.generation++;
    await this.looping;
    await this.syncAll();
    for (const t of this.active) t.setStatus('paused');
  }

  /** One round by hand (paused runs only): each active trainer advances one step. */
  async stepOnce(): Promise<void> {
    if (this.playing) return;
    await this.round();
    await this.syncAll();
    for (const t of this.active) t.setStatus('paused');
  }

  async stop(): Promise<void> {
    this.playing = false;
    this.generation++;
    await this.looping;
    await Promise.all(this.trainers.map((t) => t.stop()));
  }

  /** Runs fn between rounds (every run at the same step): the loop waits at the round's end, no status change. */
  between<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.holds.then(() => this.holdOnce(fn));
    this.holds = run.catch(() => undefined);
    return run;
  }

  private async holdOnce<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.playing || !this.looping) return fn();
    let release = () => {};
    let arrived = () => {};
    const reached = new Promise<void>((r) => (arrived = r));
    this.hold = { arrived, gate: new Promise<void>((r) => (release = r)) };
    // The loop may end instead (paused, finished) without reaching the hold.
    await Promise.race([reached, this.looping]);
    try {
      return await fn();
    } finally {
      this.hold = null;
      release();
    }
  }

  /** Resolves when the loop ends (all finished, paused or stopped). */
  whenIdle(): Promise<void> {
    return this.looping ?? Promise.resolve();
  }

  private async syncAll(): Promise<void> {
    await Promise.all(this.active.map((t) => t.sync()));
  }

  /** One step for every active run. A round always completes, so pausing never leaves a race out of step. */
  private async round(): Promise<void> {
    for (const t of this.active) {
      try {
        await t.advance();
      } catch (err) {
        const e = engineError(err); // out of memory, device lost, ... classified here, where it happened
        t.setStatus('error', e.message, undefined, e.code);
      }
    }
  }

  private async loop(gen: number): Promise<void> {
    while (gen === this.generation && this.active.length > 0) {
      await this.round();
      const hold = this.hold;
      if (hold) {
        hold.arrived();
        await hold.gate;
      }
      await yieldMacrotask();
    }
    if (gen === this.generation) this.playing = false;
  }
}
