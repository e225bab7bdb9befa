// Formula and options of the selected loss(es). Option values are kept as strings (URL form);
// the engine validates them when a run starts.
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import { LOSS_FIELD_SPECS, LOSSES } from '../engine/losses/catalog';

export interface LossOptionsPanelProps {
  lossIds: string[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  disabled: boolean;
}

function Formula({ tex }: { tex: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: true }), [tex]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: KaTeX output of our own formula strings.
  return <div className="formula" data-control="formula" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function LossOptionsPanel({ lossIds, values, onChange, disabled }: LossOptionsPanelProps) {
  const infos = LOSSES.filter((l) => lossIds.includes(l.id));
  const fields = [...new Set(infos.flatMap((l) => Object.keys(l.defaults)))];
  const defaultOf = (field: string) => {
    const owner = infos.find((l) => field in l.defaults);
    return owner ? String((owner.defaults as Record<string, unknown>)[field]) : '';
  };
  const set = (field: string, v: string) => {
    const next = { ...values };
    if (v === defaultOf(field)) delete next[field];
    else next[field] = v;
    onChange(next);
  };
  return (
    <div className="loss-options" data-control="loss_options">
      {infos.length === 1 && (
        <>
          <Formula tex={infos[0].formula} />
          <p className="hint" data-control="formula">
            Rewards {infos[0].rewards}.
          </p>
        </>
      )}
      {fields.map((field) => {
        const spec = LOSS_FIELD_SPECS[field];
        const value = values[field] ?? defaultOf(field);
        if (!spec) return null;
        if (spec.kind === 'boolean') {
          return (
            <label key={field} className="inline" data-control={field}>
              <input
                type="checkbox"
                checked={value === 'true'}
                onChange={(e) => set(field, String(e.target.checked))}
                disabled={disabled}
              />
              {field}
            </label>
          );
        }
        if (spec.kind === 'enum') {
          return (
            <label key={field} data-control={field}>
              {field}
              <select aria-label={field} value={value} onChange={(e) => set(field, e.target.value)} disabled={disabled}>
                {spec.values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        return (
          <label key={field} data-control={field}>
            {field}
            <input
              aria-label={field}
              type="number"
              min={spec.min}
              max={spec.max}
              step="any"
              value={value}
              onChange={(e) => set(field, e.target.value)}
              disabled={disabled}
            />
          </label>
        );
      })}
    </div>
  );
}
