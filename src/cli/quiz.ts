/**
 * Quiz file tool for authors, offline:
 *   npm run quiz -- validate FILE...     OK: <name> (N questions), or FILE:LINE:COL: message per error (exit 1)
 *   npm run quiz -- schema               print the editor JSON Schema
 *   npm run quiz -- schema --write       regenerate schemas/quiz.schema.json
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translatorFor } from '../i18n/index.js';
import { QUIZ_LIMITS } from '../quiz/limits.js';
import { parseQuizFile, type QuizFileFormat, toJsonSchema } from '../quiz/quizFile.js';
import { formatQuizFileError } from '../render/quizFileIssues.js';

/** Where the editor schema is committed, relative to the repository root (npm runs scripts there). */
export const SCHEMA_FILE = 'schemas/quiz.schema.json';

const USAGE = `usage:
  npm run quiz -- validate FILE...   check quiz files (YAML or JSON)
  npm run quiz -- schema [--write]   print (or write schemas/quiz.schema.json) the editor JSON Schema`;

/** The committed schema file's exact text. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(toJsonSchema(), null, 2)}\n`;
}

function formatFor(file: string): QuizFileFormat | 'auto' {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return 'auto';
}

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function runQuizCli(args: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'validate') {
    if (rest.length === 0) {
      io.err(USAGE);
      return 2;
    }
    let failed = false;
    for (const file of rest) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        io.err(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        failed = true;
        continue;
      }
      if (bytes.length > QUIZ_LIMITS.maxFileBytes) {
        io.err(`${file}: the file is ${bytes.length} bytes; the limit is ${QUIZ_LIMITS.maxFileBytes} bytes`);
        failed = true;
        continue;
      }
      const result = parseQuizFile(bytes.toString('utf8'), formatFor(file));
      if (result.ok) {
        io.out(`OK: ${result.value.name} (${result.value.questions.length} questions)`);
      } else {
        failed = true;
        // Operators and authors read the CLI in English, the catalogue's reference language.
        const t = translatorFor('en-US');
        for (const error of result.error) io.err(formatQuizFileError(error, file, t));
      }
    }
    return failed ? 1 : 0;
  }
  if (command === 'schema') {
    const text = renderJsonSchema();
    if (rest.includes('--write')) {
      // Write-then-rename: never a half-written schema file.
      const target = resolve(SCHEMA_FILE);
      const temporary = `${target}.tmp-${process.pid}`;
      await writeFile(temporary, text);
      await rename(temporary, target);
      io.out(`wrote ${SCHEMA_FILE}`);
    } else {
      io.out(text.trimEnd());
    }
    return 0;
  }
  io.err(USAGE);
  return 2;
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const code = await runQuizCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
