import { describe, expect, it } from 'vitest';
import { ERROR_CODES, EngineError, fromErrorData, toErrorData } from './errors';

describe('error data', () => {
  it('every code, name, message and problem survives toErrorData -> structuredClone -> fromErrorData', () => {
    for (const code of ERROR_CODES) {
      const problems = [{ field: `f-${code}`, message: `m-${code}` }];
      const back = fromErrorData(
        structuredClone(toErrorData(new EngineError(code, `msg ${code}`, { problems, name: `N-${code}` }))),
      );
      expect(back).toBeInstanceOf(EngineError);
      expect([back.name, back.code, back.message, back.problems]).toEqual([`N-${code}`, code, `msg ${code}`, problems]);
    }
  });

  it('anything else is internal; data from a newer or broken engine still reads', () => {
    expect(toErrorData(new RangeError('r'))).toEqual({ name: 'RangeError', code: 'internal', message: 'r' });
    expect(toErrorData(42)).toEqual({ name: 'Error', code: 'internal', message: '42' });
    expect(toErrorData(new EngineError('no-data', 'x'))).not.toHaveProperty('problems');
    const newer = fromErrorData({ name: 'X', code: 'quota' as never, message: 'm' });
    expect([newer.code, newer.name, newer.message]).toEqual(['internal', 'X', 'm']);
    expect(fromErrorData('a string' as never).message).toBe('a string');
  });
});
