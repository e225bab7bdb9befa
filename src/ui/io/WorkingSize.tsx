// The voxel limit over which volumes are downsampled for training (smaller trains and prepares faster; the
// exports still go back to each file's own grid). Props in, callback out.
import type { UserDataChoices } from '../../engine/io/api';

/** Sides of the cube whose voxel count is the limit; the first is the engine's default (USER_MAX_VOXELS). */
export const WORKING_SIDES = [160, 128, 96, 64] as const;

const millions = (side: number) => `${(side ** 3 / 1e6).toFixed(side >= 128 ? 1 : 2)} M voxels`;

export function WorkingSize(p: { choices: UserDataChoices; onChoices: (c: UserDataChoices) => void }) {
  const value = p.choices.maxVoxels ?? WORKING_SIDES[0] ** 3;
  return (
    <label>
      Downsample volumes over{' '}
      <select
        aria-label="Working size"
        value={value}
        onChange={(e) => p.onChoices({ ...p.choices, maxVoxels: Number(e.target.value) })}
      >
        {WORKING_SIDES.map((s) => (
          <option key={s} value={s ** 3}>
            {s}^3 ({millions(s)})
          </option>
        ))}
      </select>{' '}
      (in-plane first: thick slices are kept)
    </label>
  );
}
