/**
 * Every text a member reads comes from the message catalogue (`src/i18n/locales/`). This test reads
 * every TypeScript file of `src/` and fails on a string literal that looks like prose (two words,
 * or a capitalised word) outside the catalogue, except where the text is not for members:
 * log lines, thrown errors, operator-facing parts (ALLOWED_FOLDERS, each with its reason), the
 * arguments of the calls in ALLOWED_CALLS and the few literals in ALLOWED_LITERALS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

/** Parts of src/ whose texts members never read, and why. */
const ALLOWED_FOLDERS: Record<string, string> = {
  'src/analytics/': 'operator-facing: analytics export, metrics bridge',
  'src/cli/': 'operator-facing: the quiz file command line',
  'src/config/': 'operator-facing: configuration keys and their errors (printed at start-up)',
  'src/health/': 'operator-facing: HTTP probes and /metrics',
  'src/store/': 'SQL and database diagnostics (logged)',
  'src/i18n/': 'the catalogue itself and its loader',
  'src/metrics.ts': 'Prometheus HELP texts',
  'src/main.ts': 'start-up and shutdown log lines',
  'src/log.ts': 'logger set-up',
  'src/logErrors.ts': 'log helpers',
  'src/shutdown.ts': 'shutdown log lines',
  'src/discord/gatewayCloseCodes.ts':
    'operator-facing: what to fix when the gateway refuses the bot (logged)',
  'src/discord/ConnectionTracker.ts': 'operator-facing: readiness reasons and log lines',
  'src/discord/DiscordBot.ts': 'operator-facing: start-up errors (logged)',
  'src/components/customId.ts': 'custom-id parse errors (logged with the refused click)',
};

/** In a file, the texts passed to these functions (anywhere in their arguments), and why. */
const ALLOWED_CALLS: Record<string, { callees: string[]; reason: string }> = {
  'src/quiz/quizFile/validate.ts': {
    callees: ['meta', 'boundedText', 'optionalText'],
    reason:
      "the editor JSON Schema's descriptions (`npm run quiz -- schema`): read in authors' editors, not Discord, in English",
  },
};

/** Single literals allowed elsewhere: `file: literal text` and why. */
const ALLOWED_LITERALS: Record<string, string> = {
  'src/discord/createDiscordClient.ts: Monitoring Comms!':
    "the bot's presence: Discord shows one activity text to every server, it cannot follow a language",
  'src/quiz/live/LiveGameService.ts: lease lost or game cancelled elsewhere': 'a logged reason',
  'src/render/charts/statsChartSpec.ts: DejaVu Sans': "the chart's font family, not text",
  'src/render/charts/renderChartPng.ts: DejaVuSans.ttf': "the chart's font file",
  'src/render/charts/renderChartPng.ts: DejaVuSans-Bold.ttf': "the chart's font file",
  'src/quiz/session/SoloSession.ts: not JSON':
    'why a stored attempt cannot be read (a diagnostic, never shown)',
  'src/quiz/session/SoloSession.ts: more answers than questions':
    'why a stored attempt cannot be read (a diagnostic, never shown)',
};

/** Calls whose string arguments are logs or diagnostics, never shown to members. */
const LOG_METHODS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

function looksLikeProse(text: string): boolean {
  // An identifier such as an error class name (`AbortError`), not a word.
  if (/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(text)) return false;
  return /\p{L}{2,}[ \u00a0]+\p{L}{2,}/u.test(text) || /(^|[^\p{L}])\p{Lu}\p{Ll}{2,}/u.test(text);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** True when the literal is a log message, an error's message, a module path or a type. */
function isExempt(node: ts.Node, file: string): boolean {
  const allowedCalls = ALLOWED_CALLS[file]?.callees ?? [];
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isImportDeclaration(current) || ts.isExportDeclaration(current)) return true;
    if (ts.isLiteralTypeNode(current) || ts.isTypeNode(current)) return true;
    if (ts.isNewExpression(current) || ts.isThrowStatement(current)) return true;
    // `super(message)` in an Error subclass.
    if (ts.isCallExpression(current) && current.expression.kind === ts.SyntaxKind.SuperKeyword) return true;
    if (ts.isCallExpression(current)) {
      const callee = current.expression;
      if (ts.isPropertyAccessExpression(callee) && LOG_METHODS.has(callee.name.text)) return true;
      const name = ts.isPropertyAccessExpression(callee)
        ? callee.name.text
        : ts.isIdentifier(callee)
          ? callee.text
          : '';
      if (allowedCalls.includes(name) && current.arguments.some((argument) => contains(argument, node)))
        return true;
    }
    // A function boundary: what a function returns is judged by its own use.
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}

function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.getStart() >= outer.getStart() && inner.getEnd() <= outer.getEnd();
}

interface Finding {
  file: string;
  line: number;
  text: string;
}

function findings(): Finding[] {
  const out: Finding[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = relative(ROOT, path).replaceAll('\\', '/');
    if (Object.keys(ALLOWED_FOLDERS).some((allowed) => file.startsWith(allowed))) continue;
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const texts: string[] = [];
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
      else if (ts.isTemplateExpression(node))
        texts.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
      const prose = texts.filter(looksLikeProse);
      if (prose.length > 0 && !isExempt(node, file)) {
        const text = prose.join('…');
        if (!(`${file}: ${text}` in ALLOWED_LITERALS)) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          out.push({ file, line: line + 1, text });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe('user-facing text lives in the message catalogue', () => {
  it('finds no prose string literal in src/ outside the catalogue and the allowed places', () => {
    const found = findings().map((f) => `${f.file}:${f.line} ${JSON.stringify(f.text)}`);
    expect(found).toEqual([]);
  });

  it('recognises prose and leaves identifiers alone', () => {
    expect(looksLikeProse('Time is up')).toBe(true);
    expect(looksLikeProse('Continue')).toBe(true);
    expect(looksLikeProse('Zeit ist um')).toBe(true);
    expect(looksLikeProse('quiz-play')).toBe(false);
    expect(looksLikeProse('errors.guildOnly')).toBe(false);
    expect(looksLikeProse('bdg1:quiz-play:answer')).toBe(false);
    expect(looksLikeProse('YAML')).toBe(false);
    expect(looksLikeProse('AbortError')).toBe(false);
  });
});
