import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { cspPlugin } from './scripts/csp.ts';
import { tfjsPthreadPool, tfjsWasm } from './scripts/vite-tfjs-wasm.ts';

// Cross-origin isolation: lets wasm threads use SharedArrayBuffer.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The pretrained checkpoints: models/ served at /models/ in dev and copied into the build. */
function modelsDir(): Plugin {
  const root = join(process.cwd(), 'models');
  const list = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? list(join(dir, e.name)) : [join(dir, e.name)],
        )
      : [];
  const files = () =>
    list(root)
      .filter((f) => /\.(json|bin)$/.test(f))
      .map((f) => relative(root, f).split(sep).join('/'));
  return {
    name: 'models-dir',
    configureServer(server) {
      server.middlewares.use('/models', (req, res, next) => {
        const file = decodeURIComponent((req.url ?? '').replace(/^\//, '').split('?')[0]);
        if (!files().includes(file)) return next();
        res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
        createReadStream(join(root, file)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of files())
        this.emitFile({ type: 'asset', fileName: `models/${file}`, source: readFileSync(join(root, file)) });
    },
  };
}

/**
 * The app's chunks (src/boot.ts imports src/main.tsx dynamically, after starting the workers) preloaded
 * from the HTML, so they download beside boot's instead of after it.
 */
function preloadApp(): Plugin {
  return {
    name: 'preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const main = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/main.tsx'),
        );
        if (main?.type !== 'chunk' || !ctx.filename.endsWith('index.html')) return html;
        const files = [main.fileName, ...main.imports].filter((f) => !html.includes(f));
        const link = (f: string) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` } });
        return { html, tags: files.map((f) => ({ ...link(f), injectTo: 'head' as const })) };
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), tfjsWasm(), tfjsPthreadPool(), cspPlugin(), modelsDir(), preloadApp()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Workers are bundled apart: the engine worker holds tfjs-wasm's threaded factory.
  worker: { format: 'es', plugins: () => [tfjsPthreadPool()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    // bench.html is the in-browser benchmark page driven by `npm run bench`.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});
