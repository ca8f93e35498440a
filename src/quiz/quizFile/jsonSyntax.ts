/** Where and why JSON text is not JSON, for quiz files imported as JSON. */
import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';

type Container = 'object' | 'array';

/**
 * Finds where JSON text goes wrong, in plain words: jsonc-parser (strict: no comments, no trailing
 * commas) supplies the first error's code and offset, and the wording says what was expected
 * there. Text that jsonc-parser accepts but JSON.parse refuses (e.g. a non-JSON space character)
 * falls back to JSON.parse's own message and position.
 */
export function locateJsonSyntaxError(text: string): { offset: number; message: string } | null {
  const containers: Container[] = [];
  let valueEnded = false;
  let found: { offset: number; message: string } | null = null;
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
    return { offset: 0, message: 'JSON nested too deeply' };
  }
  if (found !== null) return found;
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : 'invalid JSON';
    const position = /position (\d+)/.exec(message);
    return { offset: position ? Number(position[1]) : 0, message };
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
): { offset: number; message: string } {
  const c = text[offset];
  const found = c === undefined ? 'end of file' : `"${c}"`;
  const before = text.slice(0, offset).trimEnd().at(-1);
  const at = (message: string, where = offset) => ({ offset: where, message });
  const closing = container === 'array' ? ']' : '}';
  const separatorExpected =
    container === 'array'
      ? `expected "," or "]" after a list item, found ${found}`
      : `expected "," or "}" after a property value, found ${found}`;
  const name = printParseErrorCode(code);
  switch (name) {
    case 'UnexpectedEndOfString': {
      const close = text.indexOf('"', offset + 1);
      const token = text.slice(offset + 1, close === -1 ? undefined : close);
      const control = firstControlCharacter(token);
      if (control !== -1)
        return at(
          'line break or control character inside a string (write \\n instead)',
          offset + 1 + control,
        );
      return at('unterminated string');
    }
    case 'InvalidCharacter': {
      const control = firstControlCharacter(text.slice(offset, offset + length));
      return at(
        'line break or control character inside a string (write \\n instead)',
        offset + Math.max(control, 0),
      );
    }
    case 'InvalidEscapeCharacter': {
      const badEscape = /\\(?:[^"\\/bfnrtu]|$)/.exec(text.slice(offset, offset + length));
      const where = offset + (badEscape?.index ?? 0);
      return at(`invalid escape "\\${text[where + 1] ?? ''}" in string`, where);
    }
    case 'InvalidUnicode':
      return at('invalid \\u escape: needs 4 hex digits');
    case 'UnexpectedEndOfNumber':
    case 'InvalidNumberFormat':
      return at('invalid number');
    case 'ColonExpected':
      return at(`expected ":" after the property name, found ${found}`);
    case 'CommaExpected':
    case 'CloseBraceExpected':
    case 'CloseBracketExpected':
      return at(separatorExpected);
    case 'PropertyNameExpected':
    case 'ValueExpected':
      if (before === ',' && c === closing) return at(`trailing comma before "${c}"`);
      if (name === 'PropertyNameExpected')
        return at(`expected a property name in double quotes, found ${found}`);
      break;
    default:
      if (valueEnded && container === undefined)
        return at(`unexpected ${found} after the end of the JSON value`);
      if (container === 'object' && (before === '{' || before === ','))
        return at(`expected a property name in double quotes, found ${found}`);
  }
  return at(
    c === undefined ? 'unexpected end of file: expected a value' : `unexpected ${found}: expected a value`,
  );
}
