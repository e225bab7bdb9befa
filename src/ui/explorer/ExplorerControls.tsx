// The explorer's inputs: which losses, the foreground fraction, the predictor, and a slider (or
// switch) for every option of the chosen losses. Losses, fraction and options are the playground's
// settings (so they are in the URL and a lesson can set them); the predictor is local.
import type { Predictor } from '../../engine/explorer/synthetic';
import {
  LOSS_IDS,
  LOSSES,
  type LossId,
  OPTION_SPECS,
  type OptionName,
  optionDefaultText,
  optionFieldsOf,
  PAPER_LOSSES,
} from '../../domain/losses';
import { FRACTION_RANGE, type Settings } from '../../state/settings';
import { formatPercent } from '../format';

export interface ExplorerControlsProps {
  settings: Settings;
  losses: LossId[];
  onChange: (patch: Partial<Settings>) => void;
  predictor: Predictor;
  onPredictor: (p: Predictor) => void;
}

// Same log mapping as the playground's burden slider: 0..1000 -> 0.001% .. 30%.
const LOG_MIN = Math.log10(FRACTION_RANGE.min);
const LOG_MAX = Math.log10(FRACTION_RANGE.max);
const toSlider = (f: number) => Math.round(((Math.log10(f) - LOG_MIN) / (LOG_MAX - LOG_MIN)) * 1000);
const fromSlider = (v: number) => Number((10 ** (LOG_MIN + (v / 1000) * (LOG_MAX - LOG_MIN))).toPrecision(2));

/** Slider ranges for numeric options (the specs allow more; these are the instructive ranges). */
const NUMBER_SLIDERS: Record<string, { min: number; max: number; step: number }> = {
  lambda: { min: 0, max: 1, step: 0.01 },
  focalAlpha: { min: 0, max: 1, step: 0.01 },
  tverskyAlpha: { min: 0, max: 1, step: 0.01 },
  tverskyBeta: { min: 0, max: 1, step: 0.01 },
  gamma: { min: 0, max: 10, step: 0.1 },
  diceWeight: { min: 0, max: 10, step: 0.1 },
  ceWeight: { min: 0, max: 10, step: 0.1 },
};
// Epsilon on a log slider; its leftmost position is exactly 0.
const EPS_MIN_EXP = -9;
const epsToSlider = (e: number) => (e <= 0 ? EPS_MIN_EXP : Math.max(EPS_MIN_EXP + 0.5, Math.log10(e)));
const epsFromSlider = (s: number) => (s <= EPS_MIN_EXP ? 0 : Number((10 ** s).toPrecision(2)));

const LABELS = Object.fromEntries(LOSSES.map((l) => [l.id, l.label]));

/** Default of an option, from the first chosen loss that has it. */
export function ExplorerControls({ settings, losses, onChange, predictor, onPredictor }: ExplorerControlsProps) {
  const toggle = (id: LossId) => {
    const next = LOSS_IDS.filter((l) => (l === id ? !losses.includes(l) : losses.includes(l)));
    if (next.length === 0) return;
    onChange(next.length === 1 ? { loss: next[0], losses: [] } : { losses: next });
  };
  // List options (classWeights, classDistances) have no slider; the explorer's inputs are two-class anyway.
  const fields = optionFieldsOf(losses).filter((f) => f !== 'perImage' && OPTION_SPECS[f].kind !== 'list');
  const setOption = (field: OptionName, v: string) => {
    const next = { ...settings.lossOptions };
    if (v === optionDefaultText(field)) delete next[field];
    else next[field] = v;
    onChange({ lossOptions: next });
  };
  return (
    <div className="explorer-controls">
      <fieldset className="group" data-control="explorer_losses">
        <legend>Losses</legend>
        <div className="loss-checks">
          {LOSS_IDS.map((id) => (
            <label key={id} className="inline" title={LABELS[id]}>
              <input type="checkbox" checked={losses.includes(id)} onChange={() => toggle(id)} />
              {id}
            </label>
          ))}
        </div>
        <button type="button" onClick={() => onChange({ losses: [...PAPER_LOSSES] })}>
          Paper's four
        </button>
      </fieldset>

      <fieldset className="group" data-control="burden">
        <legend>Imbalance</legend>
        <label>
          <span>
            Foreground fraction <output aria-label="Explorer foreground fraction">{formatPercent(settings.fraction)}</output>
          </span>
          <input
            type="range"
            aria-label="Foreground fraction"
            min={0}
            max={1000}
            value={toSlider(settings.fraction)}
            aria-valuetext={formatPercent(settings.fraction)}
            onChange={(e) => onChange({ fraction: fromSlider(Number(e.target.value)) })}
          />
        </label>
      </fieldset>

      <fieldset className="group" data-control="predictor">
        <legend>Predictor</legend>
        {(['lesion', 'background'] as const).map((k) => (
          <label key={k}>
            <span>
              p on {k} voxels <output aria-label={`Predictor p on ${k} voxels`}>{predictor[k].toFixed(2)}</output>
            </span>
            <input
              type="range"
              aria-label={`p on ${k} voxels`}
              min={0.01}
              max={0.99}
              step={0.01}
              value={predictor[k]}
              onChange={(e) => onPredictor({ ...predictor, [k]: Number(e.target.value) })}
            />
          </label>
        ))}
      </fieldset>

      <fieldset className="group" data-control="loss_options">
        <legend>Loss options</legend>
        {fields.length === 0 && <p className="hint">The chosen losses have no options.</p>}
        {fields.map((field) => {
          const spec = OPTION_SPECS[field];
          const value = settings.lossOptions[field] ?? optionDefaultText(field);
          if (spec.kind === 'boolean') {
            return (
              <label key={field} className="inline" data-control={field}>
                <input
                  type="checkbox"
                  aria-label={field}
                  checked={value === 'true'}
                  onChange={(e) => setOption(field, String(e.target.checked))}
                />
                {field}
              </label>
            );
          }
          if (spec.kind === 'enum') {
            return (
              <label key={field} data-control={field}>
                {field}
                <select aria-label={field} value={value} onChange={(e) => setOption(field, e.target.value)}>
                  {spec.values.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
            );
          }
          const x = Number(value);
          const eps = field === 'epsilon';
          const r = NUMBER_SLIDERS[field] ?? { min: spec.min, max: spec.max, step: (spec.max - spec.min) / 100 };
          return (
            <label key={field} data-control={field}>
              <span>
                {field} <output aria-label={`${field} value`}>{x}</output>
              </span>
              <input
                type="range"
                aria-label={field}
                min={eps ? EPS_MIN_EXP : r.min}
                max={eps ? 0 : r.max}
                step={eps ? 0.5 : r.step}
                value={eps ? epsToSlider(x) : x}
                onChange={(e) => {
                  const s = Number(e.target.value);
                  setOption(field, String(eps ? epsFromSlider(s) : Number(s.toFixed(4))));
                }}
              />
            </label>
          );
        })}
        <p className="hint">
          An option shared by several losses (epsilon, includeBackground…) moves each loss that owns it, as in the playground.
        </p>
      </fieldset>
    </div>
  );
}
