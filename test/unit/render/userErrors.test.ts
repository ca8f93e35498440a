import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import {
  renderUserError,
  USER_ERROR_KINDS,
  type UserError,
  userErrorKey,
} from '../../../src/render/userErrors.js';

/** One example of every catalogue entry; the Record makes the compiler list a new kind here. */
const EXAMPLES: { [K in UserError['kind']]: Extract<UserError, { kind: K }> } = {
  missingPermission: { kind: 'missingPermission', permission: 'manageServer' },
  guildOnly: { kind: 'guildOnly' },
  staleComponent: { kind: 'staleComponent' },
  foreignComponent: { kind: 'foreignComponent' },
  unknownCommand: { kind: 'unknownCommand', name: 'gone' },
  databaseUnavailable: { kind: 'databaseUnavailable' },
  quizNotFound: { kind: 'quizNotFound', ref: 'Nope' },
  internalError: { kind: 'internalError' },
};

const english = translatorFor('en-US');
const german = translatorFor('de');

describe('the user-facing error catalogue', () => {
  it('lists every identifier once, each with its own text and message key', () => {
    expect([...USER_ERROR_KINDS].sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const t of [english, german]) {
      const texts = Object.values(EXAMPLES).map((error) => renderUserError(error, t));
      expect(new Set(texts).size).toBe(texts.length);
    }
    expect(Object.values(EXAMPLES).map(userErrorKey)).toContain('errors.databaseUnavailable');
  });

  it('puts the parameters into the text', () => {
    expect(renderUserError(EXAMPLES.missingPermission, english)).toContain('**Manage Server**');
    expect(renderUserError(EXAMPLES.quizNotFound, english)).toBe(
      'I can\'t find a quiz called "Nope" in this server.',
    );
    expect(renderUserError(EXAMPLES.unknownCommand, english)).toContain('`/gone`');
  });

  it('speaks German to a German member, naming the permission in German', () => {
    expect(renderUserError(EXAMPLES.missingPermission, german)).toContain('**Server verwalten**');
    expect(renderUserError(EXAMPLES.quizNotFound, german)).toBe(
      'Ich finde auf diesem Server kein Quiz namens „Nope“.',
    );
    expect(renderUserError(EXAMPLES.databaseUnavailable, german)).not.toBe(
      renderUserError(EXAMPLES.databaseUnavailable, english),
    );
  });
});
