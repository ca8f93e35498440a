import type { BaseInteraction } from 'discord.js';
import type { Actor } from '../../quiz/QuizService.js';

/**
 * The member behind an interaction, as the quiz service sees them. Null outside a guild.
 * Roles come from the interaction payload (cached GuildMember or raw API member alike).
 */
export function actorOf(interaction: BaseInteraction): Actor | null {
  if (!interaction.inGuild()) return null;
  const member = interaction.member;
  const roleIds = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return {
    guildId: interaction.guildId,
    userId: interaction.user.id,
    permissions: interaction.memberPermissions?.bitfield ?? null,
    roleIds,
    isOwner: interaction.guild?.ownerId === interaction.user.id,
  };
}
