import { describe, expect, it } from 'vitest';
import { translatorFor } from '../../../src/i18n/index.js';
import type { GuildSettings } from '../../../src/quiz/types.js';
import { renderSettingsChanged, renderSettingsEmbed } from '../../../src/render/quizSettingsEmbed.js';

const en = translatorFor('en-US');
const de = translatorFor('de');

const settings: GuildSettings = {
  guildId: '1',
  resultsChannelId: null,
  managerRoleIds: ['5', '6'],
  retakePolicy: 'once',
  language: null,
};

describe('/settings view and changes', () => {
  it('shows the language: the chosen one, or the server default with the server’s Discord language', () => {
    const english = renderSettingsEmbed(settings, 'de', en);
    expect(english.title).toBe('Badgey settings for this server');
    expect(english.fields).toEqual([
      { name: 'Results channel', value: 'not set: results are posted where the quiz was taken' },
      { name: 'Manager roles', value: '<@&5>, <@&6> (and members with Manage Server)' },
      { name: 'Retakes', value: 'once: each member may complete a quiz one time' },
      { name: 'Language', value: 'Server default (Deutsch)' },
    ]);
    const chosen = renderSettingsEmbed({ ...settings, language: 'de' }, 'en-US', en);
    expect(chosen.fields?.[3]).toEqual({ name: 'Language', value: 'Deutsch' });
    // A server language Badgey lacks: public posts fall back to the default, and the view says so.
    expect(renderSettingsEmbed(settings, 'fr', en).fields?.[3]?.value).toBe('Server default (English (US))');
  });

  it('keeps the English replies to changes', () => {
    expect(renderSettingsChanged({ kind: 'resultsChannel', channelId: '9' }, true, en)).toBe(
      'Quiz results will be posted in <#9>.',
    );
    expect(renderSettingsChanged({ kind: 'retakePolicy', policy: 'unlimited' }, false, en)).toBe(
      'Retakes were already unlimited: members may retake quizzes; their best score counts; nothing changed.',
    );
    expect(renderSettingsChanged({ kind: 'language', language: 'de' }, true, en)).toBe(
      "Badgey's public posts here (results, live games, leaderboards) are now in Deutsch.",
    );
    expect(renderSettingsChanged({ kind: 'language', language: null }, true, en)).toMatch(/^Language reset/);
  });

  it('speaks German to a German member', () => {
    const embed = renderSettingsEmbed(
      { ...settings, managerRoleIds: [], retakePolicy: 'unlimited' },
      'en-US',
      de,
    );
    expect(embed.title).toBe('Badgey-Einstellungen für diesen Server');
    expect(embed.fields?.map((f) => f.name)).toEqual([
      'Ergebnis-Kanal',
      'Manager-Rollen',
      'Wiederholungen',
      'Sprache',
    ]);
    expect(embed.fields?.[3]?.value).toBe('Server-Standard (English (US))');
    expect(renderSettingsChanged({ kind: 'addManagerRole', roleId: '5' }, true, de)).toBe(
      'Mitglieder mit <@&5> können jetzt Quizze verwalten.',
    );
    expect(renderSettingsChanged({ kind: 'language', language: 'de' }, false, de)).toBe(
      'Badgeys öffentliche Nachrichten hier sind schon auf Deutsch; nichts geändert.',
    );
  });
});
