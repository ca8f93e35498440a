import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { ConfigIssue } from './ConfigError.js';
import { CONFIG_ENV_NAMES, CONFIG_FILE_ENV, type RawValue } from './configKeys.js';

/** A value found in a file, with the 1-based line of its key. */
export interface SourcedValue {
  raw: RawValue;
  line: number;
}

export interface ConfigFileContents {
  values: Map<string, SourcedValue>;
  issues: ConfigIssue[];
}

/** Why a file could not be read, in words (never its content). */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    default:
      return `cannot be read (${code ?? String(error)})`;
  }
}

/** Turns a parsed YAML value into a raw config value; undefined for "unset", null for "not allowed". */
function toRawValue(value: unknown): RawValue | undefined | null {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  // Integers arrive as bigint (intAsBigInt) so 18-digit Discord ids keep every digit.
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) {
    const items = value.map(toRawValue);
    return items.every((item) => typeof item === 'string') ? (items as string[]) : null;
  }
  return null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function unknownKeyProblem(key: string): string {
  const upper = key.toUpperCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of CONFIG_ENV_NAMES) {
    const distance = editDistance(upper, name);
    if (distance <= 3 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best ? `unknown key (did you mean ${best.name}?)` : 'unknown key';
}

/**
 * The largest config file read. A real one is a few KB; parsing tens of MB of YAML keeps the
 * process busy for minutes before /health even listens, with no output.
 */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The file's text, or why it cannot be used (unreadable, or larger than the limit). */
function readLimited(path: string, displayPath: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { problem: `file ${displayPath} ${describeReadError(error)}` };
  }
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_CONFIG_FILE_BYTES)
      return {
        problem: `file ${displayPath} is ${formatBytes(size)}, over the ${formatBytes(MAX_CONFIG_FILE_BYTES)} limit for a config file (is it the right file?)`,
      };
    return { text: readFileSync(fd, 'utf8') };
  } catch (error) {
    return { problem: `file ${displayPath} ${describeReadError(error)}` };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 160);

/**
 * Reads the config file named by BADGEY_CONFIG: a YAML or JSON mapping whose keys are env var names.
 * `displayPath` is how messages name the file; `pathSource` is where BADGEY_CONFIG itself was set.
 * Every problem becomes an issue; nothing throws.
 */
export function readConfigFile(path: string, displayPath: string, pathSource: string): ConfigFileContents {
  const values = new Map<string, SourcedValue>();
  const issues: ConfigIssue[] = [];
  const read = readLimited(path, displayPath);
  if ('problem' in read) {
    issues.push(new ConfigIssue(CONFIG_FILE_ENV, read.problem, pathSource));
    return { values, issues };
  }
  const { text } = read;

  const lineCounter = new LineCounter();
  // prettyErrors off: its code frame would quote file lines, which may hold secrets.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, intAsBigInt: true, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const { line, col } = lineCounter.linePos(syntaxError.pos[0]);
    issues.push(
      new ConfigIssue(
        CONFIG_FILE_ENV,
        `${displayPath} is not valid YAML or JSON: ${oneLine(syntaxError.message)}`,
        `${displayPath}:${line}:${col}`,
      ),
    );
    return { values, issues };
  }
  if (doc.contents === null) return { values, issues };
  if (!isMap(doc.contents)) {
    issues.push(
      new ConfigIssue(
        CONFIG_FILE_ENV,
        `${displayPath} must be a mapping of KEY: value lines`,
        `${displayPath}:1`,
      ),
    );
    return { values, issues };
  }

  for (const pair of doc.contents.items) {
    const keyNode = pair.key;
    const line = lineCounter.linePos(isScalar(keyNode) ? (keyNode.range?.[0] ?? 0) : 0).line;
    const source = `${displayPath}:${line}`;
    const text = isScalar(keyNode) ? String(keyNode.value) : '(non-text key)';
    // Every issue line starts with a readable key: an empty or multi-line key is shown quoted (found by test/fuzz).
    const key = /^[\w.()-][\w .()-]*$/.test(text) ? text : JSON.stringify(text).slice(0, 60);
    if (key === CONFIG_FILE_ENV) {
      issues.push(
        new ConfigIssue(key, 'cannot be set inside the config file; set it in the environment', source),
      );
      continue;
    }
    if (!CONFIG_ENV_NAMES.has(key)) {
      issues.push(new ConfigIssue(key, unknownKeyProblem(key), source));
      continue;
    }
    const valueNode = pair.value as { toJS?: (document: typeof doc) => unknown } | null;
    let value: unknown;
    try {
      value = valueNode?.toJS ? valueNode.toJS(doc) : valueNode;
    } catch (error) {
      // yaml throws for an unresolved alias or an alias bomb (found by test/fuzz): an issue, not a crash.
      const reason = error instanceof Error ? oneLine(error.message) : 'cannot be read';
      issues.push(new ConfigIssue(key, `has a YAML value that cannot be read: ${reason}`, source));
      continue;
    }
    const raw = toRawValue(value);
    if (raw === null) {
      issues.push(new ConfigIssue(key, 'must be a single value or a list of values, got a mapping', source));
    } else if (raw !== undefined) {
      values.set(key, { raw, line });
    }
  }
  return { values, issues };
}
