import type { APIEmbed } from 'discord-api-types/v10';
import type { SettingsChange } from '../quiz/QuizService.js';
import type { GuildSettings } from '../quiz/types.js';

const BLURPLE = 0x5865f2;

const RETAKE_TEXT = {
  once: 'once: each member may complete a quiz one time',
  unlimited: 'unlimited: members may retake quizzes; their best score counts',
} as const;

/** `/settings view`: the guild's current settings (role and channel mentions render without pinging). */
export function renderSettingsEmbed(settings: GuildSettings): APIEmbed {
  return {
    title: 'Badgey settings for this server',
    color: BLURPLE,
    fields: [
      {
        name: 'Results channel',
        value: settings.resultsChannelId
          ? `<#${settings.resultsChannelId}>`
          : 'not set: results are posted where the quiz was taken',
      },
      {
        name: 'Manager roles',
        value:
          settings.managerRoleIds.length === 0
            ? 'none: only members with Manage Server manage quizzes'
            : `${settings.managerRoleIds.map((id) => `<@&${id}>`).join(', ')} (and members with Manage Server)`,
      },
      { name: 'Retakes', value: RETAKE_TEXT[settings.retakePolicy] },
    ],
  };
}

/** The reply to a settings change, saying what is now in effect. */
export function renderSettingsChanged(change: SettingsChange, changed: boolean): string {
  switch (change.kind) {
    case 'resultsChannel':
      if (change.channelId === null)
        return changed
          ? 'Results channel cleared: results are posted where the quiz was taken.'
          : 'No results channel was set; nothing changed.';
      return changed
        ? `Quiz results will be posted in <#${change.channelId}>.`
        : `Quiz results already go to <#${change.channelId}>; nothing changed.`;
    case 'addManagerRole':
      return changed
        ? `Members with <@&${change.roleId}> can now manage quizzes.`
        : `<@&${change.roleId}> is already a manager role; nothing changed.`;
    case 'removeManagerRole':
      return changed
        ? `<@&${change.roleId}> is no longer a manager role.`
        : `<@&${change.roleId}> was not a manager role; nothing changed.`;
    case 'retakePolicy':
      return changed
        ? `Retakes are now ${RETAKE_TEXT[change.policy]}.`
        : `Retakes were already ${RETAKE_TEXT[change.policy]}; nothing changed.`;
  }
}
