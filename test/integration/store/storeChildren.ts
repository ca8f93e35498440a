/** Starts several `storeChild.ts` processes, releases them at the same moment, and collects their JSON. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./storeChild.ts', import.meta.url));

interface Child {
  ready: Promise<void>;
  done: Promise<Record<string, unknown>>;
  go(): void;
}

function startChild(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const done = new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`store child exited ${code}: ${err.slice(-2000)}`));
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`store child printed no result: ${out} ${err}`));
      }
    });
  });
  // A child that dies before `ready` must not leave the test waiting forever.
  done.catch(() => markReady());
  return { ready, done, go: () => proc.stdin.end('go\n') };
}

export async function runChildrenTogether(argsPerChild: string[][]): Promise<Record<string, unknown>[]> {
  const children = argsPerChild.map(startChild);
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  return Promise.all(children.map((c) => c.done));
}
