import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Name of the salt file inside the analytics export directory. */
export const SALT_FILE = '.salt';

/**
 * The analytics salt kept in `<dir>/.salt` (mode 0600): read when present, otherwise 32 random
 * bytes are generated and written once, so pseudonyms stay stable across restarts. Used when
 * ANALYTICS_SALT is not configured. Never log the returned value.
 */
export async function loadOrCreateSalt(dir: string): Promise<string> {
  const path = join(dir, SALT_FILE);
  const existing = await readSalt(path);
  if (existing !== undefined) return existing;
  await mkdir(dir, { recursive: true });
  const salt = randomBytes(32).toString('hex');
  try {
    // 'wx': if another process created it meanwhile, use theirs.
    await writeFile(path, `${salt}\n`, { mode: 0o600, flag: 'wx' });
    return salt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const raced = await readSalt(path);
      if (raced !== undefined) return raced;
    }
    throw new Error(
      `cannot create the analytics salt file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

async function readSalt(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `cannot read the analytics salt file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  const salt = text.trim();
  if (salt.length < 16)
    throw new Error(`the analytics salt file ${path} is empty or too short (delete it to regenerate)`);
  return salt;
}

/**
 * Saves `salt` (a temporary one, used because the directory was not writable at start-up) as
 * `<dir>/.salt`, unless a salt file exists by now. Resolves true when it was saved, false when
 * another salt file is there; rejects when the directory is still not writable.
 */
export async function saveSaltIfMissing(dir: string, salt: string): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(join(dir, SALT_FILE), `${salt}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
