/** Where and why JSON text is not JSON, for quiz files imported as JSON. */
import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';
import type { JsonSyntaxProblem } from './issues.js';

type Container = 'object' | 'array';

/** Where JSON text goes wrong (an offset) and why (worded by `render/quizFileIssues.ts`). */
export interface JsonSyntaxError {
  offset: number;
  problem: JsonSyntaxProblem;
}

/**
 * Finds where JSON text goes wrong: jsonc-parser (strict: no comments, no trailing
 * commas) supplies the first error's code and offset, and the problem says what was expected
 * there. Text that jsonc-parser accepts but JSON.parse refuses (e.g. a non-JSON space character)
 * falls back to JSON.parse's own message and position.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  const containers: Container[] = [];
  let valueEnded = false;
  let found: JsonSyntaxError | null = null;
  const ended = () => {
    if (containers.length === 0) valueEnded = true;
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => void containers.push('object'),
        onObjectEnd: () => {
          containers.pop();
          ended();
        },
        onArrayBegin: () => void containers.push('array'),
        onArrayEnd: () => {
          containers.pop();
          ended();
        },
        onLiteralValue: ended,
        onError: (code, offset, length) => {
          found ??= describeJsonError(text, code, offset, length, containers.at(-1), valueEnded);
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch {
    // Nesting deep enough to exhaust the stack: report at the start rather than crash.
    return { offset: 0, problem: { code: 'nestedTooDeeply' } };
  }
  if (found !== null) return found;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    return { offset: position ? Number(position[1]) : 0, problem: { code: 'engine', message } };
  }
}

/** Index of the first control character (U+0000–U+001F, not allowed raw in a JSON string), or -1. */
function firstControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return i;
  return -1;
}

function describeJsonError(
  text: string,
  code: ParseErrorCode,
  offset: number,
  length: number,
  container: Container | undefined,
  valueEnded: boolean,
): JsonSyntaxError {
  const c = text[offset];
  const found = c ?? null;
  const before = text.slice(0, offset).trimEnd().at(-1);
  const at = (problem: JsonSyntaxProblem, where = offset): JsonSyntaxError => ({ offset: where, problem });
  const closing = container === 'array' ? ']' : '}';
  const separatorExpected: JsonSyntaxProblem = {
    code: 'separatorExpected',
    container: container === 'array' ? 'array' : 'object',
    found,
  };
  const name = printParseErrorCode(code);
  switch (name) {
    case 'UnexpectedEndOfString': {
      const close = text.indexOf('"', offset + 1);
      const token = text.slice(offset + 1, close === -1 ? undefined : close);
      const control = firstControlCharacter(token);
      if (control !== -1) return at({ code: 'controlCharacter' }, offset + 1 + control);
      return at({ code: 'unterminatedString' });
    }
    case 'InvalidCharacter': {
      const control = firstControlCharacter(text.slice(offset, offset + length));
      return at({ code: 'controlCharacter' }, offset + Math.max(control, 0));
    }
    case 'InvalidEscapeCharacter': {
      const badEscape = /\\(?:[^"\\/bfnrtu]|$)/.exec(text.slice(offset, offset + length));
      const where = offset + (badEscape?.index ?? 0);
      return at({ code: 'invalidEscape', escape: text[where + 1] ?? '' }, where);
    }
    case 'InvalidUnicode':
      return at({ code: 'invalidUnicode' });
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return at({ code: 'invalidNumber' });
    case 'ColonExpected':
      return at({ code: 'colonExpected', found });
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
      return at(separatorExpected);
    case 'PropertyNameExpected':
    case 'ValueExpected':
      if (before === ',' && c === closing) return at({ code: 'trailingComma', closing: c });
      if (name === 'PropertyNameExpected') return at({ code: 'propertyNameExpected', found });
      break;
    default:
      if (valueEnded && container === undefined) return at({ code: 'afterEnd', found });
      if (container === 'object' && (before === '{' || before === ','))
        return at({ code: 'propertyNameExpected', found });
  }
  return at({ code: 'valueExpected', found });
}
