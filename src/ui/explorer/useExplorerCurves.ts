// Asks the engine for explorer curves piece by piece (each loss's probe, each loss's sweep, the GDL
// section), one request at a time, newest inputs first; results are cached by what they depend on, so
// moving one loss's option recomputes only that loss.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExplorerRequest, ExplorerResult, OptionValues, Predictor } from '../../engine/explorer/synthetic';
import { optionsFor } from '../../domain/loss-options';
import type { LossId } from '../../domain/losses';
import type { EngineClient } from '../../worker/client';

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

export function useExplorerCurves(client: EngineClient | null, inputs: ExplorerInputs): ExplorerCurves {
  const [cache, setCache] = useState<Map<string, ExplorerResult | Error>>(() => new Map());
  const [last, setLast] = useState<ExplorerCurves['last']>(null);
  const inFlight = useRef<string | null>(null);
  const [tick, setTick] = useState(0);

  // Probes first (they answer the slider being moved), then GDL, then the sweeps.
  const pieces = useMemo<Piece[]>(
    () => [
      ...inputs.losses.map((loss) => ({ kind: 'probe' as const, loss })),
      { kind: 'gdl' as const },
      ...inputs.losses.map((loss) => ({ kind: 'sweep' as const, loss })),
    ],
    [inputs.losses],
  );
  const keyed = pieces.map((p) => ({ piece: p, key: pieceKey(p, inputs) }));
  const missing = keyed.filter((k) => !cache.has(k.key));

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-runs the loop after each answer
  useEffect(() => {
    if (!client || inFlight.current !== null || missing.length === 0) return;
    const { piece, key } = missing[0];
    inFlight.current = key;
    client
      .call('explorerCurves', requestFor(piece, inputs))
      .then((r) => {
        setLast({ backend: r.backend, ms: r.ms });
        return r as ExplorerResult | Error;
      })
      .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
      .then((value) => {
        setCache((c) => {
          const next = new Map(c);
          next.set(key, value);
          // Oldest entries go first (a Map keeps insertion order).
          while (next.size > CACHE_LIMIT) next.delete(next.keys().next().value as string);
          return next;
        });
        inFlight.current = null;
        setTick((t) => t + 1);
      });
  }, [client, missing.map((m) => m.key).join('\n'), tick]);

  const out: ExplorerCurves = { probe: {}, sweep: {}, gdl: null, setup: null, pending: missing.length, errors: [], last };
  for (const { piece, key } of keyed) {
    const v = cache.get(key);
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
