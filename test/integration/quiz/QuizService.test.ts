import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import { type Actor, fileSlug, MAX_MANAGER_ROLES, QuizService } from '../../../src/quiz/QuizService.js';
import { renderFieldError } from '../../../src/render/quizFileIssues.js';
import { type Database, openDatabase } from '../../../src/store/openDatabase.js';

// QuizService over the real store (SQLite in memory): the rules the e2e tests do not reach.

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const manager: Actor = { guildId: GUILD, userId: '7', permissions: 0x20n, roleIds: [], isOwner: false };
const plainMember: Actor = { ...manager, userId: '8', permissions: 0n };

let database: Database;
let service: QuizService;
let deleted: [string, number][];

beforeEach(async () => {
  database = await openDatabase({ url: 'sqlite::memory:', logger: pino({ level: 'silent' }) });
  await database.migrate();
  deleted = [];
  service = new QuizService({
    quizzes: database.quizzes,
    guildSettings: database.guildSettings,
    defaultTimerSeconds: 30,
    onQuizDeleted: (guildId, quizId) => deleted.push([guildId, quizId]),
  });
});

afterEach(async () => {
  await database.close();
});

async function createQuiz(name: string, actor = manager) {
  const result = await service.createQuiz(actor, { name });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('QuizService', () => {
  it('gives a new quiz the default timer and no limits', async () => {
    const quiz = await createQuiz('Defaults');
    expect(quiz).toMatchObject({
      timerSeconds: 30,
      questionLimit: null,
      shuffle: false,
      opensAt: null,
      closesAt: null,
    });
  });

  it('edit changes only the given settings; null clears; the result is validated as a whole', async () => {
    const quiz = await createQuiz('Edit me');
    const first = await service.editQuiz(manager, String(quiz.id), {
      description: 'About',
      opensAt: '2026-05-01T18:00:00Z',
      closesAt: '2026-05-08T18:00:00Z',
    });
    expect(first.ok && first.value.after).toMatchObject({
      name: 'Edit me',
      description: 'About',
      timerSeconds: 30,
      opensAt: Date.parse('2026-05-01T18:00:00Z'),
    });
    // Moving only `opens` past the stored `closes` is refused, naming the rule.
    const crossed = await service.editQuiz(manager, 'edit me', { opensAt: '2026-06-01T00:00:00Z' });
    expect(crossed).toEqual({
      ok: false,
      error: {
        kind: 'invalidQuizSettings',
        errors: [{ field: 'closesAt', issue: { code: 'closesBeforeOpens' } }],
      },
    });
    expect(
      !crossed.ok &&
        crossed.error.kind === 'invalidQuizSettings' &&
        renderFieldError(crossed.error.errors[0]!, translatorFor('en-US')),
    ).toBe('Closes at must be later than opens at');
    const cleared = await service.editQuiz(manager, 'Edit me', { description: null, closesAt: null });
    expect(cleared.ok && cleared.value.after).toMatchObject({
      description: null,
      closesAt: null,
      opensAt: Date.parse('2026-05-01T18:00:00Z'),
    });
  });

  it('finds a quiz by id, else by name (a quiz named "42"), never in another guild', async () => {
    const named = await createQuiz('42');
    const other = await createQuiz('Elsewhere', { ...manager, guildId: OTHER_GUILD });
    expect((await service.resolveQuiz(GUILD, '42')).ok).toBe(true);
    expect(await service.resolveQuiz(GUILD, String(named.id))).toEqual({ ok: true, value: named });
    expect(await service.resolveQuiz(GUILD, String(other.id))).toEqual({
      ok: false,
      error: { kind: 'quizNotFound', ref: String(other.id) },
    });
    expect(await service.searchQuizzes(GUILD, '')).toEqual([{ id: named.id, name: '42' }]);
  });

  it('tells the deletion listener once, and only when something was deleted', async () => {
    const quiz = await createQuiz('Doomed');
    expect((await service.deleteQuiz(plainMember, quiz.id)).ok).toBe(false);
    expect(deleted).toEqual([]);
    expect((await service.deleteQuiz(manager, quiz.id)).ok).toBe(true);
    expect(await service.deleteQuiz(manager, quiz.id)).toEqual({
      ok: false,
      error: { kind: 'quizNotFound', ref: String(quiz.id) },
    });
    expect(deleted).toEqual([[GUILD, quiz.id]]);
  });

  it('makes members of a manager role managers, by role id', async () => {
    const roleMember: Actor = { ...plainMember, roleIds: ['555'] };
    expect((await service.createQuiz(roleMember, { name: 'No' })).ok).toBe(false);
    await service.updateSettings(manager, { kind: 'addManagerRole', roleId: '555' });
    expect((await service.createQuiz(roleMember, { name: 'Yes' })).ok).toBe(true);
    // …but settings stay with Manage Server.
    expect(await service.viewSettings(roleMember)).toEqual({
      ok: false,
      error: { kind: 'missingPermission', needed: 'manageServer' },
    });
  });

  it(`keeps at most ${MAX_MANAGER_ROLES} manager roles and says so, dropping none`, async () => {
    for (let i = 0; i < MAX_MANAGER_ROLES; i++) {
      const added = await service.updateSettings(manager, {
        kind: 'addManagerRole',
        roleId: String(1000 + i),
      });
      expect(added.ok && added.value.changed).toBe(true);
    }
    expect(await service.updateSettings(manager, { kind: 'addManagerRole', roleId: '9999' })).toEqual({
      ok: false,
      error: { kind: 'tooManyManagerRoles', max: MAX_MANAGER_ROLES },
    });
    const again = await service.updateSettings(manager, { kind: 'addManagerRole', roleId: '1000' });
    expect(again.ok && again.value).toMatchObject({ changed: false });
    expect(again.ok && again.value.settings.managerRoleIds).toHaveLength(MAX_MANAGER_ROLES);
  });

  it('answers databaseUnavailable (not a throw) once the database is gone', async () => {
    await createQuiz('Before');
    await database.close();
    expect(await service.createQuiz(manager, { name: 'After' })).toEqual({
      ok: false,
      error: { kind: 'databaseUnavailable' },
    });
    expect(await service.listQuizzes(GUILD, 0, 10)).toEqual({
      ok: false,
      error: { kind: 'databaseUnavailable' },
    });
    expect(await service.viewSettings(manager)).toEqual({
      ok: false,
      error: { kind: 'databaseUnavailable' },
    });
  });

  it('makes file names from quiz names', () => {
    expect(fileSlug('Planets: the basics')).toBe('planets-the-basics');
    expect(fileSlug('Über Café — Noël!')).toBe('uber-cafe-noel');
    expect(fileSlug('日本語')).toBe('quiz');
    expect(fileSlug('x'.repeat(80))).toHaveLength(60);
  });
});
