import { describe, expect, it } from 'vitest';
import {
  renderUserError,
  USER_ERROR_KINDS,
  type UserError,
  userErrorKey,
} from '../../../src/render/userErrors.js';

/** One example of every catalogue entry; the Record makes the compiler list a new kind here. */
const EXAMPLES: { [K in UserError['kind']]: Extract<UserError, { kind: K }> } = {
  missingPermission: { kind: 'missingPermission', permission: 'Manage Server' },
  guildOnly: { kind: 'guildOnly' },
  staleComponent: { kind: 'staleComponent' },
  foreignComponent: { kind: 'foreignComponent' },
  unknownCommand: { kind: 'unknownCommand', name: 'gone' },
  databaseUnavailable: { kind: 'databaseUnavailable' },
  quizNotFound: { kind: 'quizNotFound', ref: 'Nope' },
  internalError: { kind: 'internalError' },
};

describe('the user-facing error catalogue', () => {
  it('lists every identifier once, each with its own text and message key', () => {
    expect([...USER_ERROR_KINDS].sort()).toEqual(Object.keys(EXAMPLES).sort());
    const texts = Object.values(EXAMPLES).map((error) => renderUserError(error));
    expect(new Set(texts).size).toBe(texts.length);
    expect(Object.values(EXAMPLES).map(userErrorKey)).toContain('error.databaseUnavailable');
  });

  it('puts the parameters into the text', () => {
    expect(renderUserError(EXAMPLES.missingPermission)).toContain('**Manage Server**');
    expect(renderUserError(EXAMPLES.quizNotFound)).toBe('I can\'t find a quiz called "Nope" in this server.');
    expect(renderUserError(EXAMPLES.unknownCommand)).toContain('`/gone`');
  });
});
