// What a 4D file's 4th dimension holds: input channels, or time (one frame or the mean). Props in, callback out.
import type { SeriesChoice } from '../../engine/io/api';

export function SeriesChoiceSelect(p: {
  name: string;
  volumes: number;
  value: SeriesChoice;
  onChange: (v: SeriesChoice) => void;
}) {
  const kind = typeof p.value === 'number' ? 'frame' : p.value;
  return (
    <span className="io-series">
      {' '}
      <select
        aria-label={`4th dimension of ${p.name}`}
        value={kind}
        onChange={(e) => p.onChange(e.target.value === 'frame' ? 0 : (e.target.value as 'channels' | 'mean'))}
      >
        <option value="channels">{p.volumes} channels</option>
        <option value="mean">time: mean of {p.volumes} frames</option>
        <option value="frame">time: one frame</option>
      </select>
      {typeof p.value === 'number' && (
        <input
          aria-label={`Frame of ${p.name}`}
          type="number"
          min={0}
          max={p.volumes - 1}
          value={p.value}
          onChange={(e) => p.onChange(Math.min(p.volumes - 1, Math.max(0, Math.round(Number(e.target.value)))))}
        />
      )}
    </span>
  );
}
