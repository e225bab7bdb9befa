// The controls column: data, network, loss, optimisation, backend. Props in, callbacks out.
import { DIFFICULTY_DESCRIPTIONS, DIFFICULTY_IDS } from '../domain/difficulty';
import { LOSSES, type LossId, PAPER_LOSSES } from '../domain/losses';
import { NETWORKS } from '../domain/networks';
import { LESION_KINDS, phantomShape } from '../domain/phantom';
import type { ReactNode } from 'react';
import { FRACTION_RANGE, PAPER_LRS, PATCH_PRESETS, PATCH_TABLE, type Settings } from '../state/settings';
import { LossOptionsPanel } from './LossOptionsPanel';
import { SeedsField } from './SeedsField';
import { formatPercent } from './format';

export interface DataInfo {
  achievedFraction: number | null;
  patchImbalance: number | null;
  busy: boolean;
}

export interface ControlsProps {
  settings: Settings;
  onChange: (patch: Partial<Settings>) => void;
  onRegenerate: () => void;
  dataInfo: DataInfo;
  activeBackend: string | null;
  stepsPerSecond: number | null;
  disabled: boolean;
  /** While the user's volumes are in use: shown in the Data group instead of the phantom controls. */
  dataPanel?: ReactNode;
}

// The burden slider is logarithmic: position 0..1000 maps to 30% .. 0.001%.
const LOG_MIN = Math.log10(FRACTION_RANGE.min);
const LOG_MAX = Math.log10(FRACTION_RANGE.max);
const toSlider = (f: number) => Math.round(((Math.log10(f) - LOG_MIN) / (LOG_MAX - LOG_MIN)) * 1000);
const fromSlider = (v: number) => Number((10 ** (LOG_MIN + (v / 1000) * (LOG_MAX - LOG_MIN))).toPrecision(2));

/** A labelled number input that reports numbers; `name` is its teacher-mode hide name. */
function NumberField(p: {
  name: string;
  label: string;
  min: number;
  max?: number;
  step?: number | 'any';
  value: number;
  onChange: (v: number) => void;
  disabled?: boolean;
}) {
  return (
    <label data-control={p.name}>
      {p.label}
      <input
        aria-label={p.label}
        type="number"
        min={p.min}
        max={p.max}
        step={p.step}
        value={p.value}
        onChange={(e) => p.onChange(Number(e.target.value))}
        disabled={p.disabled}
      />
    </label>
  );
}

function Group({ title, name, hidden, children }: { title: string; name: string; hidden: string[]; children: ReactNode }) {
  if (hidden.includes(name)) return null;
  return (
    <fieldset className="group" data-control={name}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export function Controls(props: ControlsProps) {
  const { settings: s, onChange } = props;
  const hidden = s.hide;
  const compare = s.losses.length > 0;
  const toggleLoss = (id: LossId) => {
    const next = s.losses.includes(id) ? s.losses.filter((l) => l !== id) : [...s.losses, id];
    onChange({ losses: next });
  };
  return (
    <div className="controls-inner">
      {props.dataPanel && (
        <Group title="Data: your volumes" name="data" hidden={hidden}>
          {props.dataPanel}
        </Group>
      )}
      <Group title="Data" name="data" hidden={props.dataPanel ? [...hidden, 'data'] : hidden}>
        <label data-control="lesion">
          Lesion type
          <select
            aria-label="Lesion type"
            value={s.lesion}
            onChange={(e) => onChange({ lesion: e.target.value as Settings['lesion'] })}
            disabled={props.disabled}
          >
            {LESION_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'wmh' ? 'white-matter hyperintensities' : k}
              </option>
            ))}
          </select>
        </label>
        <label data-control="difficulty" title={DIFFICULTY_DESCRIPTIONS[s.difficulty]}>
          Difficulty
          <select
            aria-label="Difficulty"
            value={s.difficulty}
            onChange={(e) => onChange({ difficulty: e.target.value as Settings['difficulty'] })}
            disabled={props.disabled}
          >
            {DIFFICULTY_IDS.map((d) => (
              <option key={d} value={d} title={DIFFICULTY_DESCRIPTIONS[d]}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label data-control="burden">
          Lesion burden <output aria-label="Requested lesion burden">{formatPercent(s.fraction)}</output>
          <input
            type="range"
            aria-label="Lesion burden"
            min={0}
            max={1000}
            value={toSlider(s.fraction)}
            aria-valuetext={formatPercent(s.fraction)}
            onChange={(e) => onChange({ fraction: fromSlider(Number(e.target.value)) })}
            disabled={props.disabled}
          />
        </label>
        <p className="readout" data-control="burden">
          Achieved:{' '}
          <output aria-label="Achieved lesion fraction">
            {props.dataInfo.achievedFraction === null ? '…' : formatPercent(props.dataInfo.achievedFraction)}
          </output>{' '}
          · trained patches:{' '}
          <output aria-label="Patch imbalance">
            {props.dataInfo.patchImbalance === null ? '…' : formatPercent(props.dataInfo.patchImbalance)}
          </output>
        </p>
        <NumberField
          name="noise"
          label="Noise"
          min={0}
          max={0.5}
          step={0.01}
          value={s.noise}
          onChange={(v) => onChange({ noise: v })}
          disabled={props.disabled}
        />
        <label data-control="size">
          Phantom size
          <select
            aria-label="Phantom size"
            value={s.size}
            onChange={(e) => onChange({ size: Number(e.target.value) })}
            disabled={props.disabled}
          >
            {[...new Set([48, 64, 96, 128, 160, s.size])]
              .sort((a, b) => a - b)
              .map((n) => (
                <option key={n} value={n}>
                  {phantomShape(n).join('×')}
                </option>
              ))}
          </select>
        </label>
        <NumberField
          name="seed"
          label="Seed"
          min={0}
          step={1}
          value={s.seed}
          onChange={(v) => onChange({ seed: Math.max(0, Math.round(v)) })}
          disabled={props.disabled}
        />
        <button type="button" data-control="regenerate" onClick={props.onRegenerate} disabled={props.disabled}>
          Regenerate
        </button>
      </Group>

      <Group title="Network" name="network" hidden={hidden}>
        <label data-control="network">
          Network
          <select
            aria-label="Network"
            value={s.network}
            onChange={(e) => onChange({ network: e.target.value as Settings['network'] })}
            disabled={props.disabled}
          >
            {NETWORKS.map((n) => (
              <option key={n.id} value={n.id} title={n.description}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
      </Group>

      <Group title="Loss" name="loss" hidden={hidden}>
        {!compare && (
          <label data-control="loss_select">
            Loss
            <select
              aria-label="Loss"
              value={s.loss}
              onChange={(e) => onChange({ loss: e.target.value as Settings['loss'] })}
              disabled={props.disabled}
            >
              {LOSSES.map((l) => (
                <option key={l.id} value={l.id} title={`${l.name}: ${l.source}`}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <fieldset className="compare" aria-label="Compare losses" data-control="compare">
          <span>Compare:</span>
          <button type="button" onClick={() => onChange({ losses: [...PAPER_LOSSES] })} disabled={props.disabled}>
            Paper's four
          </button>
          {compare && (
            <button type="button" onClick={() => onChange({ losses: [] })} disabled={props.disabled}>
              Single loss
            </button>
          )}
          {compare && (
            <div className="loss-checks">
              {LOSSES.map((l) => (
                <label key={l.id} className="inline" title={`${l.label}: ${l.source}`}>
                  <input
                    type="checkbox"
                    checked={s.losses.includes(l.id)}
                    onChange={() => toggleLoss(l.id)}
                    disabled={props.disabled}
                  />
                  {l.id}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <LossOptionsPanel
          lossIds={compare ? s.losses : [s.loss]}
          values={s.lossOptions}
          onChange={(lossOptions) => onChange({ lossOptions })}
          disabled={props.disabled}
        />
      </Group>

      <Group title="Training" name="training" hidden={hidden}>
        <label data-control="lr">
          Learning rate
          <select
            aria-label="Learning rate"
            value={PAPER_LRS.includes(s.lr) ? String(s.lr) : 'free'}
            onChange={(e) => e.target.value !== 'free' && onChange({ lr: Number(e.target.value) })}
          >
            {PAPER_LRS.map((lr) => (
              <option key={lr} value={String(lr)}>
                {lr.toExponential(0)}
              </option>
            ))}
            <option value="free">other…</option>
          </select>
        </label>
        <NumberField
          name="lr"
          label="Learning rate value"
          min={1e-7}
          max={1}
          step="any"
          value={s.lr}
          onChange={(v) => onChange({ lr: v })}
        />
        <label data-control="patch">
          Patch / batch
          <select
            aria-label="Patch / batch"
            value={typeof s.patch === 'string' ? s.patch : 'free'}
            onChange={(e) => {
              const v = e.target.value;
              if (v === 'free') onChange({ patch: typeof s.patch === 'number' ? s.patch : PATCH_TABLE[s.patch].patch });
              else onChange({ patch: v as 'S', batch: PATCH_TABLE[v as 'S'].batch });
            }}
            disabled={props.disabled}
          >
            {PATCH_PRESETS.map((p) => (
              <option key={p} value={p}>
                {p}: {PATCH_TABLE[p].patch}px × {PATCH_TABLE[p].batch}
              </option>
            ))}
            <option value="free">free</option>
          </select>
        </label>
        {typeof s.patch === 'number' && (
          <NumberField
            name="patch"
            label="Patch size"
            min={8}
            max={256}
            value={s.patch}
            onChange={(v) => onChange({ patch: v })}
            disabled={props.disabled}
          />
        )}
        <NumberField
          name="batch"
          label="Batch size"
          min={1}
          max={32}
          value={s.batch}
          onChange={(v) => onChange({ batch: v })}
          disabled={props.disabled}
        />
        <NumberField
          name="steps"
          label="Steps"
          min={1}
          max={100000}
          value={s.steps}
          onChange={(v) => onChange({ steps: v })}
          disabled={props.disabled}
        />
        <SeedsField value={s.seeds} onChange={(seeds) => onChange({ seeds })} disabled={props.disabled} />
      </Group>

      <Group title="Backend" name="backend" hidden={hidden}>
        <label data-control="backend">
          Backend
          <select
            aria-label="Backend"
            value={s.backend}
            onChange={(e) => onChange({ backend: e.target.value as Settings['backend'] })}
            disabled={props.disabled}
          >
            {['auto', 'webgpu', 'wasm', 'webgl', 'cpu'].map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </label>
        <p className="readout">
          Active: <output aria-label="Backend in use">{props.activeBackend ?? '…'}</output> ·{' '}
          <output aria-label="Training speed">{props.stepsPerSecond === null ? '–' : props.stepsPerSecond.toFixed(1)}</output>{' '}
          steps/s
        </p>
      </Group>
    </div>
  );
}
