// The policy allows the app's own origin only; the exceptions are exactly the documented ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cspDirectives, cspString, cspWorkerDirectives, cspWorkerString } from './csp';

describe('Content-Security-Policy', () => {
  it('names no other origin and no wildcard in any mode', () => {
    for (const mode of ['meta', 'header', 'dev'] as const) {
      for (const [name, sources] of Object.entries(cspDirectives(mode))) {
        for (const s of sources) {
          expect(s, `${mode} ${name}`).not.toMatch(/^https?:|\*|^\w+\.\w+/);
        }
      }
    }
  });

  it('built pages allow no eval and no inline scripts or <style> blocks', () => {
    for (const mode of ['meta', 'header'] as const) {
      const d = cspDirectives(mode);
      expect(d['default-src']).toEqual(["'self'"]);
      expect(d['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
      expect(d['style-src']).toEqual(["'self'"]);
      expect(d['connect-src']).toEqual(["'self'"]);
      expect(d['object-src']).toEqual(["'none'"]);
      expect(cspString(mode)).not.toMatch(/'unsafe-eval'|ws:/);
    }
    // frame-ancestors only works as a header; in a <meta> tag it is ignored with a console error.
    expect(cspString('meta')).not.toContain('frame-ancestors');
    expect(cspString('header')).toContain("frame-ancestors 'none'");
  });

  it('worker scripts alone may start blob: workers and scripts (tfjs-wasm pthreads); nothing else changes', () => {
    for (const mode of ['header', 'dev'] as const) {
      const page = cspDirectives(mode);
      const worker = cspWorkerDirectives(mode);
      expect(worker['worker-src']).toEqual([...page['worker-src'], 'blob:']);
      expect(worker['script-src']).toEqual([...page['script-src'], 'blob:']);
      for (const name of Object.keys(page).filter((n) => n !== 'worker-src' && n !== 'script-src'))
        expect(worker[name], name).toEqual(page[name]);
      expect(cspString(mode)).not.toContain('blob:');
      expect(cspWorkerString(mode)).toContain("worker-src 'self' blob:");
    }
    expect(cspString('meta')).not.toContain('blob:');
  });

  it('every exception is documented in docs/security.md', () => {
    const doc = readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8');
    for (const exception of ["'wasm-unsafe-eval'", 'style-src-attr', 'img-src', 'font-src', 'frame-ancestors', 'blob:']) {
      expect(doc).toContain(exception);
    }
  });
});
