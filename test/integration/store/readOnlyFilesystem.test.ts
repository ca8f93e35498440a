import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTestDatabase } from './storeTargets.js';

// DATABASE_URL on a read-only filesystem (a container's read-only root, a volume mounted ro): SQLite
// only said "unable to open database file". A real read-only mount (a tmpfs mounted ro; root, as in
// CI; FAULT_TESTS_NO_TMPFS=1 skips where mounting is impossible).

describe('a SQLite file on a read-only filesystem', () => {
  it('is refused naming the read-only filesystem and what to mount', async () => {
    if (process.env.FAULT_TESTS_NO_TMPFS) return;
    const root = mkdtempSync(join(tmpdir(), 'badgey-ro-'));
    const dir = join(root, 'data');
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    try {
      const path = join(dir, 'badgey.sqlite');
      await expect(openTestDatabase(`sqlite:${path}`)).rejects.toThrow(
        `cannot open SQLite database ${path}: ${dir} is on a read-only filesystem, and SQLite writes the database and its -wal and -shm files there. Mount a writable volume at ${dir}`,
      );
    } finally {
      execFileSync('umount', ['-l', dir]);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
