import { describe, expect, it } from 'vitest';
import { buildDataRequest } from './run-requests';
import { DEFAULT_SETTINGS, parseSettings, serializeSettings } from './settings';

describe('difficulty setting', () => {
  it('defaults to realistic, reads ?difficulty=, writes it back only when not the default', () => {
    expect(DEFAULT_SETTINGS.difficulty).toBe('realistic');
    expect(parseSettings('').settings.difficulty).toBe('realistic');
    const { settings, notices } = parseSettings('?difficulty=hard');
    expect(notices).toEqual([]);
    expect(settings.difficulty).toBe('hard');
    expect(serializeSettings(settings)).toBe('difficulty=hard');
    expect(serializeSettings({ ...settings, difficulty: 'realistic' })).toBe('');
    expect(buildDataRequest(settings).difficulty).toBe('hard');
  });

  it('ignores an unknown difficulty with a notice naming the choices', () => {
    const { settings, notices } = parseSettings('?difficulty=extreme');
    expect(settings.difficulty).toBe('realistic');
    expect(notices).toEqual(['Ignored difficulty=extreme: expected one of easy, realistic, hard.']);
  });
});
