// The benchmarks' server: builds the app into outDir and serves it with vite preview; stop() ends it.
import { execSync, spawn } from 'node:child_process';

export async function buildAndServe(p: { outDir: string; port: number }): Promise<{ stop: () => void }> {
  execSync(`npx vite build --outDir ${p.outDir}`, { stdio: 'ignore' });
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(p.port), '--strictPort', '--host', '127.0.0.1', '--outDir', p.outDir],
    { stdio: 'ignore', detached: true },
  );
  // vite preview answers within a second or two; the benchmarks then open the page.
  await new Promise((r) => setTimeout(r, 2500));
  return { stop: () => server.pid && process.kill(-server.pid) };
}
