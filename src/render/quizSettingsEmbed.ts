import type { APIEmbed } from 'discord-api-types/v10';
import { resolveLocale, type Translate } from '../i18n/index.js';
import type { SettingsChange } from '../quiz/QuizService.js';
import type { GuildSettings } from '../quiz/types.js';

const BLURPLE = 0x5865f2;

/**
 * A language's name as `/settings language` offers it (each in its own language, so a member
 * finds theirs): the choice names of the command's catalogue entry. Any code resolves to a
 * language Badgey speaks.
 */
export function languageName(language: string | null | undefined, t: Translate): string {
  return t(`commands.settings.options.language.options.language.choices.${resolveLocale(language)}`);
}

/**
 * `/settings view`: the guild's current settings (role and channel mentions render without
 * pinging). `serverLocale` is the server's Discord language, which public posts follow when no
 * language was chosen.
 */
export function renderSettingsEmbed(
  settings: GuildSettings,
  serverLocale: string | null | undefined,
  t: Translate,
): APIEmbed {
  return {
    title: t('settings.view.title'),
    color: BLURPLE,
    fields: [
      {
        name: t('settings.view.resultsChannel.name'),
        value: settings.resultsChannelId
          ? `<#${settings.resultsChannelId}>`
          : t('settings.view.resultsChannel.notSet'),
      },
      {
        name: t('settings.view.managerRoles.name'),
        value:
          settings.managerRoleIds.length === 0
            ? t('settings.view.managerRoles.none')
            : t('settings.view.managerRoles.list', {
                roles: settings.managerRoleIds.map((id) => `<@&${id}>`).join(', '),
              }),
      },
      { name: t('settings.view.retakes.name'), value: t(`settings.retakes.${settings.retakePolicy}`) },
      {
        name: t('settings.view.language.name'),
        value:
          settings.language === null
            ? t('settings.view.language.serverDefault', { language: languageName(serverLocale, t) })
            : languageName(settings.language, t),
      },
    ],
  };
}

/** The reply to a settings change, saying what is now in effect. */
export function renderSettingsChanged(change: SettingsChange, changed: boolean, t: Translate): string {
  switch (change.kind) {
    case 'resultsChannel': {
      if (change.channelId === null)
        return t(
          changed ? 'settings.changed.resultsChannel.cleared' : 'settings.changed.resultsChannel.notSet',
        );
      const channel = `<#${change.channelId}>`;
      return t(
        changed ? 'settings.changed.resultsChannel.set' : 'settings.changed.resultsChannel.alreadySet',
        {
          channel,
        },
      );
    }
    case 'addManagerRole':
      return t(
        changed ? 'settings.changed.addManagerRole.changed' : 'settings.changed.addManagerRole.unchanged',
        {
          role: `<@&${change.roleId}>`,
        },
      );
    case 'removeManagerRole':
      return t(
        changed
          ? 'settings.changed.removeManagerRole.changed'
          : 'settings.changed.removeManagerRole.unchanged',
        { role: `<@&${change.roleId}>` },
      );
    case 'retakePolicy':
      return t(
        changed ? 'settings.changed.retakePolicy.changed' : 'settings.changed.retakePolicy.unchanged',
        {
          policy: t(`settings.retakes.${change.policy}`),
        },
      );
    case 'language':
      if (change.language === null)
        return t(changed ? 'settings.changed.language.cleared' : 'settings.changed.language.notSet');
      return t(changed ? 'settings.changed.language.set' : 'settings.changed.language.alreadySet', {
        language: languageName(change.language, t),
      });
  }
}
