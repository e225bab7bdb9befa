// The explorer's controller: asks the engine for curves piece by piece (each loss's probe, each loss's
// sweep, the GDL section), one request at a time, newest inputs first; results are cached by what they
// depend on, so moving one loss's option recomputes only that loss.
import { optionsFor } from '../domain/loss-options';
import type { LossId } from '../domain/losses';
import type { ExplorerRequest, ExplorerResult, OptionValues, Predictor } from '../engine/explorer/synthetic';
import type { EngineClient } from '../worker/client';
import { Observable } from './observable';

export interface ExplorerInputs {
  losses: LossId[];
  fraction: number;
  predictor: Predictor;
  /** Option values in URL form, by option name (shared by every loss that has the option). */
  options: Record<string, string>;
}

type Piece = { kind: 'probe' | 'sweep'; loss: LossId } | { kind: 'gdl' };

export interface ExplorerCurves {
  probe: Partial<Record<LossId, ExplorerResult['probe'][number]>>;
  sweep: Partial<Record<LossId, NonNullable<ExplorerResult['sweep']>>>;
  gdl: NonNullable<ExplorerResult['gdl']> | null;
  /** Setup of the latest probe or GDL result at the current fraction. */
  setup: ExplorerResult['setup'] | null;
  /** Pieces still to compute, and errors by piece. */
  pending: number;
  errors: string[];
  /** Backend and time of the last request. */
  last: { backend: string; ms: number } | null;
}

/** A loss's own options (perImage dropped: the probe image is a single image). */
export function probeOptionsFor(id: LossId, all: Record<string, string>): OptionValues {
  const { perImage: _single, ...own } = optionsFor(id, all);
  return own;
}

function pieceKey(p: Piece, inputs: ExplorerInputs): string {
  const pred = `${inputs.predictor.lesion}/${inputs.predictor.background}`;
  if (p.kind === 'gdl') return `gdl|${inputs.fraction}|${pred}|${JSON.stringify(probeOptionsFor('gdl', inputs.options))}`;
  const opts = JSON.stringify(probeOptionsFor(p.loss, inputs.options));
  // The sweep does not depend on the chosen fraction.
  return p.kind === 'probe' ? `probe|${p.loss}|${inputs.fraction}|${pred}|${opts}` : `sweep|${p.loss}|${pred}|${opts}`;
}

function requestFor(p: Piece, inputs: ExplorerInputs): ExplorerRequest {
  const base = { fraction: inputs.fraction, predictor: inputs.predictor };
  if (p.kind === 'gdl') return { ...base, losses: [], probe: false, gdl: { options: probeOptionsFor('gdl', inputs.options) } };
  const losses = [{ id: p.loss, options: probeOptionsFor(p.loss, inputs.options) }];
  return p.kind === 'probe' ? { ...base, losses } : { ...base, losses, probe: false, sweep: true };
}

const CACHE_LIMIT = 300;

export interface ExplorerState {
  /** Bumped when an answer lands (the cache itself lives outside the state). */
  version: number;
  last: ExplorerCurves['last'];
}

/** Probes first (they answer the slider being moved), then GDL, then the sweeps. */
function piecesOf(inputs: ExplorerInputs): { piece: Piece; key: string }[] {
  const pieces: Piece[] = [
    ...inputs.losses.map((loss) => ({ kind: 'probe' as const, loss })),
    { kind: 'gdl' as const },
    ...inputs.losses.map((loss) => ({ kind: 'sweep' as const, loss })),
  ];
  return pieces.map((piece) => ({ piece, key: pieceKey(piece, inputs) }));
}

export class ExplorerController extends Observable<ExplorerState> {
  private readonly cache = new Map<string, ExplorerResult | Error>();
  private inputs: ExplorerInputs | null = null;
  private inFlight: string | null = null;

  constructor(private readonly engine: () => EngineClient | null) {
    super({ version: 0, last: null });
  }

  /** The inputs on screen now: what is missing for them is asked for, one piece at a time. */
  show(inputs: ExplorerInputs): void {
    this.inputs = inputs;
    this.pump();
  }

  /** The engine became available (or changed): ask again for what is missing. */
  wake(): void {
    this.pump();
  }

  curves(inputs: ExplorerInputs): ExplorerCurves {
    const keyed = piecesOf(inputs);
    const pending = keyed.filter((k) => !this.cache.has(k.key)).length;
    const out: ExplorerCurves = { probe: {}, sweep: {}, gdl: null, setup: null, pending, errors: [], last: this.getState().last };
    for (const { piece, key } of keyed) {
      const v = this.cache.get(key);
      if (!v) continue;
      if (v instanceof Error) {
        out.errors.push(`${piece.kind === 'gdl' ? 'gdl' : `${piece.loss} ${piece.kind}`}: ${v.message}`);
        continue;
      }
      if (piece.kind === 'probe') out.probe[piece.loss] = v.probe[0];
      else if (piece.kind === 'sweep' && v.sweep) out.sweep[piece.loss] = v.sweep;
      else if (piece.kind === 'gdl') out.gdl = v.gdl ?? null;
      if (piece.kind !== 'sweep') out.setup = v.setup;
    }
    return out;
  }

  private pump(): void {
    const client = this.engine();
    const inputs = this.inputs;
    if (!client || !inputs || this.inFlight !== null) return;
    const next = piecesOf(inputs).find((k) => !this.cache.has(k.key));
    if (!next) return;
    this.inFlight = next.key;
    client
      .call('explorerCurves', requestFor(next.piece, inputs))
      .then((r) => {
        this.set({ last: { backend: r.backend, ms: r.ms } });
        return r as ExplorerResult | Error;
      })
      .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
      .then((value) => {
        this.cache.set(next.key, value);
        // Oldest entries go first (a Map keeps insertion order).
        while (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
        this.inFlight = null;
        this.set({ version: this.getState().version + 1 });
        this.pump();
      });
  }
}
