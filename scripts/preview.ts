// The benchmarks' server: builds the app into outDir and serves it with vite preview; stop() ends it.
import { execSync, spawn } from 'node:child_process';
import { connect } from 'node:net';

/** Whether something already answers on 127.0.0.1:port (a benchmark would measure that instead). */
function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Serves an already built app (`dir`, from vite build) on `port`. */
export async function serve(p: { dir: string; port: number }): Promise<{ stop: () => void }> {
  if (await portAnswers(p.port))
    throw new Error(`port ${p.port} is already in use: pass another (--port=N) or stop what serves there`);
  const server = spawn(
    'npx',
    ['vite', 'preview', '--port', String(p.port), '--strictPort', '--host', '127.0.0.1', '--outDir', p.dir],
    { stdio: 'ignore', detached: true },
  );
  // vite preview answers within a second or two; the benchmarks then open the page.
  for (let t = 0; !(await portAnswers(p.port)); t++) {
    if (t > 60 || server.exitCode !== null) throw new Error(`vite preview of ${p.dir} did not start on port ${p.port}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    stop: () => {
      try {
        if (server.pid) process.kill(-server.pid);
      } catch {
        // already gone
      }
    },
  };
}

export async function buildAndServe(p: { outDir: string; port: number }): Promise<{ stop: () => void }> {
  execSync(`npx vite build --outDir ${p.outDir}`, { stdio: 'ignore' });
  return serve({ dir: p.outDir, port: p.port });
}
