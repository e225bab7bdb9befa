// The Content-Security-Policy: the app's own origin only, plus exactly what tfjs, niivue and KaTeX need
// (each exception is explained in docs/security.md). The build gets it as a <meta> tag (static hosting
// keeps it); `vite preview` and `vite dev` also send it as a header (which adds frame-ancestors, and
// reaches the engine worker, whose script a <meta> tag cannot govern). Worker scripts get the worker
// policy: the page's plus blob: workers and scripts, which tfjs-wasm's pthreads need.
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'vite';

export type CspMode = 'meta' | 'header' | 'dev';

/** Directives by name; dev adds what Vite's dev server needs (HMR socket, the React refresh preamble). */
export function cspDirectives(mode: CspMode): Record<string, string[]> {
  const d: Record<string, string[]> = {
    'default-src': ["'self'"],
    // wasm-unsafe-eval: compiling tfjs's .wasm backend; it allows WebAssembly only, not eval().
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'worker-src': ["'self'"],
    'connect-src': ["'self'"],
    // data: images: niivue's font atlas is a PNG data URL.
    'img-src': ["'self'", 'data:'],
    'style-src': ["'self'"],
    // Inline style attributes only (KaTeX's HTML and the charts' SVG carry style="..."), never <style> blocks.
    'style-src-attr': ["'unsafe-inline'"],
    // data: fonts: small KaTeX fonts that Vite inlines into the CSS.
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  // frame-ancestors is ignored (with a console error) in a <meta> tag.
  if (mode !== 'meta') d['frame-ancestors'] = ["'none'"];
  if (mode === 'dev') {
    d['script-src'].push("'unsafe-inline'");
    d['style-src'].push("'unsafe-inline'");
    d['connect-src'].push('ws:', 'wss:');
  }
  return d;
}

/**
 * The policy for a worker script (header or dev mode): tfjs-wasm starts each pthread as a classic
 * worker from a blob: URL, which then importScripts() a blob: copy of the factory; nested workers
 * inherit this policy, the page keeps its own.
 */
export function cspWorkerDirectives(mode: Exclude<CspMode, 'meta'>): Record<string, string[]> {
  const d = cspDirectives(mode);
  d['script-src'].push('blob:');
  d['worker-src'].push('blob:');
  return d;
}

function join(d: Record<string, string[]>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

export function cspString(mode: CspMode): string {
  return join(cspDirectives(mode));
}

export function cspWorkerString(mode: Exclude<CspMode, 'meta'>): string {
  return join(cspWorkerDirectives(mode));
}

/** Browsers mark a dedicated worker's script request with Sec-Fetch-Dest: worker. */
function isWorkerScript(req: IncomingMessage): boolean {
  return req.headers['sec-fetch-dest'] === 'worker';
}

/** Adds the policy: a <meta> tag in the built index.html, and a header from the preview and dev servers. */
export function cspPlugin(): Plugin {
  return {
    name: 'content-security-policy',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        if (ctx.server) return [];
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: cspString('meta') },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', isWorkerScript(req) ? cspWorkerString('dev') : cspString('dev'));
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        res.setHeader('Content-Security-Policy', isWorkerScript(req) ? cspWorkerString('header') : cspString('header'));
        next();
      });
    },
  };
}
