// The bot refuses a Node.js without Node-API 10 (older than 22.14) before it opens a database:
// better-sqlite3 13 would otherwise crash that process with SIGSEGV on the first query. Runs the
// built bot (`npm run build`) with the machine's own older node when there is one (Node 20 here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ENTRY = resolve(import.meta.dirname, '../../dist/main.js');

function napiVersion(node: string): number {
  const probe = spawnSync(node, ['-p', 'process.versions.napi'], { encoding: 'utf8' });
  return probe.status === 0 ? Number(probe.stdout.trim()) : Number.NaN;
}

const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find(
  (candidate) => existsSync(candidate) && napiVersion(candidate) < 10,
);
if (!oldNode) console.warn('[node version] SKIPPED: no Node.js older than 22.14 on this machine to try');

describe.skipIf(oldNode === undefined)('an unsupported Node.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'badgey-old-node-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused with exit 2 and a message naming the version and the requirement', () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first`);
    const run = spawnSync(oldNode!, [ENTRY], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: 'old-node-token',
        DATABASE_URL: `sqlite:${join(dir, 'b.sqlite')}`,
      },
    });
    expect(run.signal).toBeNull(); // not SIGSEGV
    expect(run.status, run.stderr).toBe(2);
    const version = spawnSync(oldNode!, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(run.stderr).toContain(`Node.js ${version} is too old`);
    expect(run.stderr).toContain('>= 22.14');
    expect(existsSync(join(dir, 'b.sqlite'))).toBe(false); // refused before the database opened
  });
});
