/**
 * Runs a full garbage collection inside another Node process (the bot under measurement), so an
 * RSS or heap reading counts what is alive rather than what the collector has not reached yet.
 * SIGUSR1 opens the process's inspector on 127.0.0.1:9229 (Node's default); the process is
 * identified by its pid before anything is collected. Bench-only: never used against a real bot.
 */
import WebSocket from 'ws';

const INSPECTOR = 'http://127.0.0.1:9229';

function call(
  ws: WebSocket,
  id: number,
  method: string,
  params: Record<string, unknown> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (message.id !== id) return;
      ws.off('message', onMessage);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

/** True when the process `pid` ran a full GC; false when its inspector could not be reached. */
export async function forceGc(pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 'SIGUSR1');
    await new Promise((r) => setTimeout(r, 300));
    const targets = (await (
      await fetch(`${INSPECTOR}/json/list`, { signal: AbortSignal.timeout(2000) })
    ).json()) as {
      webSocketDebuggerUrl?: string;
    }[];
    const url = targets[0]?.webSocketDebuggerUrl;
    if (!url) return false;
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    try {
      // Another process may own the port: check whose inspector this is first.
      const evaluated = (await call(ws, 1, 'Runtime.evaluate', { expression: 'process.pid' })) as {
        result?: { value?: unknown };
      };
      if (evaluated.result?.value !== pid) return false;
      await call(ws, 2, 'HeapProfiler.collectGarbage');
      return true;
    } finally {
      ws.close();
    }
  } catch {
    return false;
  }
}
