// The page's default working size is the engine's own limit, so "unless chosen" states the real default.
import { expect, it } from 'vitest';
import { USER_MAX_VOXELS } from '../../engine/io/validate';
import { WORKING_SIDES } from './WorkingSize';

it('the first working size is the engine default', () => {
  expect(WORKING_SIDES[0] ** 3).toBe(USER_MAX_VOXELS);
});
