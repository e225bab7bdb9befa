// A macrotask yield: lets worker messages (pause, stop, lr) through between steps without the
// 4 ms clamp that nested setTimeout(0) gets in browsers.
export function yieldMacrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => void };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel !== 'undefined') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
