import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The script lives in a temp dir, so its imports are absolute.
const pinoModule = pathToFileURL(createRequire(import.meta.url).resolve('pino')).href;
const shutdownModule = pathToFileURL(resolve(import.meta.dirname, '../../../src/shutdown.ts')).href;

/** Runs a small script in a real child process with the fatal handlers installed. */
function runChild(body: string): Promise<{ code: number | null; stdout: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'badgey-fatal-'));
  const script = join(dir, 'child.mts');
  writeFileSync(
    script,
    `import pino from ${JSON.stringify(pinoModule)};
import { installFatalHandlers } from ${JSON.stringify(shutdownModule)};
import { writeFileSync } from 'node:fs';
const logger = pino({ level: 'info' });
const flushed = ${JSON.stringify(join(dir, 'flushed'))};
${body}
`,
  );
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: resolve(import.meta.dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ code, stdout, dir }));
  });
}

describe('installFatalHandlers (real child process)', () => {
  it('logs fatal, flushes the export, and exits 1 on an uncaught exception', async () => {
    const { code, stdout, dir } = await runChild(`
installFatalHandlers({ logger, flush: async () => writeFileSync(flushed, 'ok') });
setInterval(() => {}, 1000); // something keeps the process alive, as the bot's sockets would
setTimeout(() => { throw new Error('boom in a timer'); }, 10);
`);
    expect(code).toBe(1);
    expect(readFileSync(join(dir, 'flushed'), 'utf8')).toBe('ok');
    const fatal = stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (line) =>
          JSON.parse(line) as { level: number; msg: string; origin: string; err: { message: string } },
      )
      .find((line) => line.msg === 'fatal error; exiting');
    expect(fatal).toMatchObject({
      level: 60,
      origin: 'uncaughtException',
      err: { message: 'boom in a timer' },
    });
  });

  it('exits 1 on an unhandled rejection even when the flush hangs', async () => {
    const { code, stdout } = await runChild(`
installFatalHandlers({ logger, flush: () => new Promise(() => {}), flushTimeoutMs: 200 });
setInterval(() => {}, 1000);
void Promise.reject(new Error('nobody caught me'));
`);
    expect(code).toBe(1);
    expect(stdout).toContain('"origin":"unhandledRejection"');
    expect(stdout).toContain('nobody caught me');
  });
});
