import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DiscordEmulator,
  type EmulatedGuild,
  snowflakeTimestamp,
} from '../support/discord-emulator/index.js';
import { startClientWorld, testCommands } from './emulatorClient.js';

/** A tiny bot written with discord.js, answering the test commands in the ways a real bot does. */
function installHandlers(client: Client): void {
  client.on(Events.InteractionCreate, async (interaction: Interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        switch (interaction.commandName) {
          case 'ping': {
            const secret = interaction.options.getBoolean('secret') ?? false;
            await interaction.reply({
              content: `pong ${snowflakeTimestamp(interaction.id) === interaction.createdTimestamp}`,
              ...(secret ? { flags: MessageFlags.Ephemeral } : {}),
            });
            return;
          }
          case 'slow':
            await interaction.deferReply();
            await interaction.editReply('done');
            await interaction.followUp({ content: 'extra', flags: MessageFlags.Ephemeral });
            return;
          case 'quiz':
            await interaction.reply({
              content: 'What is 2+2?',
              components: [
                new ActionRowBuilder<ButtonBuilder>().addComponents(
                  new ButtonBuilder().setCustomId('answer:4').setLabel('4').setStyle(ButtonStyle.Primary),
                ),
              ],
            });
            return;
          case 'name':
            await interaction.showModal(
              new ModalBuilder()
                .setCustomId('name-modal')
                .setTitle('Your name')
                .addComponents(
                  new ActionRowBuilder<TextInputBuilder>().addComponents(
                    new TextInputBuilder()
                      .setCustomId('name')
                      .setLabel('Name')
                      .setStyle(TextInputStyle.Short),
                  ),
                ),
            );
            return;
          case 'dmhelp':
            await interaction.reply(`in guild: ${interaction.inGuild()}, user: ${interaction.user.username}`);
            return;
          case 'admin':
            await interaction.reply(
              `${interaction.options.getSubcommand()} ${interaction.options.getInteger('days')} ${interaction.memberPermissions?.has('Administrator')}`,
            );
            return;
        }
      } else if (interaction.isButton()) {
        await interaction.update({ content: `Correct! (${interaction.customId})`, components: [] });
      } else if (interaction.isModalSubmit()) {
        await interaction.reply(`Hello ${interaction.fields.getTextInputValue('name')}`);
      } else if (interaction.isAutocomplete()) {
        const focused = interaction.options.getFocused();
        await interaction.respond([{ name: `${focused}-science`, value: `${focused}-science` }]);
      }
    } catch {
      // Refusals are asserted through the emulator's records.
    }
  });
}

describe('discord.js against the emulator: interactions', () => {
  let emu: DiscordEmulator;
  let client: Client;
  let guild: EmulatedGuild;
  let channelId: string;
  let userId: string;

  beforeAll(async () => {
    ({ emu, client, guild, channelId, userId } = await startClientWorld({
      emulator: { heartbeatIntervalMs: 1000 },
      guild: { name: 'Test guild', channels: [{ name: 'general' }] },
      install: installHandlers,
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await emu?.close();
  });

  it('reaches clientReady with the guild available and registers guild commands', () => {
    expect(client.guilds.cache.get(guild.id)?.available).toBe(true);
    const registered = emu.registeredCommands({ guildId: guild.id });
    expect(registered.map((c) => c.name).sort()).toEqual(testCommands.map((c) => c.name).sort());
    expect(registered.every((c) => c.guild_id === guild.id)).toBe(true);
    expect(emu.commandRegistrations).toBe(1);
    expect(emu.unhandledCalls).toEqual([]);
  });

  it('delivers a slash command and records the reply (id timestamp = injection time)', async () => {
    const h = emu.injectChatInput({ guildId: guild.id, channelId, userId, name: 'ping' });
    const first = await h.waitForResponse();
    expect(first.kind).toBe('callback');
    expect(first.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(first.data.content).toBe('pong true');
    expect(first.data.flags ?? 0).toBe(0);
    expect(h.originalMessage()?.content).toBe('pong true');
    expect(emu.messages(channelId).some((m) => m.id === h.originalMessage()?.id)).toBe(true);
    const callback = emu.restCalls.find((c) => c.path.startsWith(`/interactions/${h.id}/`));
    expect(callback?.headers.authorization).toBeUndefined();
  });

  it('records the ephemeral flag', async () => {
    const h = emu.injectChatInput({
      guildId: guild.id,
      channelId,
      userId,
      name: 'ping',
      options: [{ name: 'secret', type: 5, value: true }],
    });
    const first = await h.waitForResponse();
    expect(first.data.flags).toBe(MessageFlags.Ephemeral);
    expect(h.originalMessage()?.flags).toBe(MessageFlags.Ephemeral);
  });

  it('records defer + editReply + followUp in order', async () => {
    const h = emu.injectChatInput({ guildId: guild.id, channelId, userId, name: 'slow' });
    const responses = await h.waitForResponses(3);
    expect(responses.map((r) => r.kind)).toEqual(['callback', 'edit_original', 'followup']);
    expect(responses[0]!.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(h.originalMessage()?.content).toBe('done');
    expect((h.originalMessage()?.flags ?? 0) & 128).toBe(0); // LOADING cleared by the edit
    expect(h.followups.map((m) => [m.content, m.flags])).toEqual([['extra', MessageFlags.Ephemeral]]);
  });

  it('button click → update edits the message carrying the button', async () => {
    const h = emu.injectChatInput({ guildId: guild.id, channelId, userId, name: 'quiz' });
    await h.waitForResponse();
    const messageId = h.originalMessage()!.id;
    const click = emu.injectComponent({ messageId, customId: 'answer:4', userId });
    const update = await click.waitForResponse();
    expect(update.type).toBe(InteractionResponseType.UpdateMessage);
    expect(update.messageId).toBe(messageId);
    expect(emu.message(messageId)?.message.content).toBe('Correct! (answer:4)');
    expect(emu.message(messageId)?.message.components).toEqual([]);
  });

  it('modal: showModal then modal submit → reply', async () => {
    const h = emu.injectChatInput({ guildId: guild.id, channelId, userId, name: 'name' });
    const modal = await h.waitForResponse();
    expect(modal.type).toBe(InteractionResponseType.Modal);
    expect(modal.data.custom_id).toBe('name-modal');
    const submit = emu.injectModalSubmit({
      customId: 'name-modal',
      userId,
      guildId: guild.id,
      channelId,
      fields: { name: 'Ada' },
    });
    expect((await submit.waitForResponse()).data.content).toBe('Hello Ada');
  });

  it('autocomplete → respond with choices', async () => {
    const h = emu.injectAutocomplete({
      guildId: guild.id,
      channelId,
      userId,
      name: 'pick',
      options: [{ name: 'topic', type: 3, value: 'comp', focused: true }],
    });
    const result = await h.waitForResponse();
    expect(result.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(result.data.choices).toEqual([{ name: 'comp-science', value: 'comp-science' }]);
  });

  it('a global command used in the bot DMs arrives with `user` and no guild', async () => {
    await client.application!.commands.set([{ name: 'dmhelp', description: 'help in DMs' }]);
    expect(emu.registeredCommands().map((c) => c.name)).toEqual(['dmhelp']);
    const loner = emu.addUser({ username: 'loner' });
    const h = emu.injectDirectMessageCommand({ userId: loner.id, name: 'dmhelp' });
    expect((await h.waitForResponse()).data.content).toBe('in guild: false, user: loner');
    expect(h.originalMessage()?.channel_id).toBe(h.payload.channel?.id);
  });

  it('subcommand options and member permissions reach the handler', async () => {
    const admin = emu.addMember(guild.id, { user: { username: 'boss' }, permissions: 8n });
    const h = emu.injectChatInput({
      guildId: guild.id,
      channelId,
      userId: admin.user.id,
      name: 'admin',
      options: [{ name: 'stats', type: 1, options: [{ name: 'days', type: 4, value: 7 }] }],
    });
    expect((await h.waitForResponse()).data.content).toBe('stats 7 true');
    const plain = emu.injectChatInput({
      guildId: guild.id,
      channelId,
      userId,
      name: 'admin',
      options: [{ name: 'stats', type: 1, options: [] }],
    });
    expect((await plain.waitForResponse()).data.content).toBe('stats null false');
  });
});
