import type { Interaction } from 'discord.js';
import { SlashCommandBuilder } from 'discord.js';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../../../src/commands/Command.js';
import { deferIfSlow, replyError } from '../../../src/commands/replies.js';
import { encodeCustomId } from '../../../src/components/customId.js';
import { type InteractionOutcome, InteractionRouter } from '../../../src/discord/InteractionRouter.js';

/**
 * A stand-in for a discord.js chat-input / button interaction with the state flags and methods the
 * router and reply helpers use (the real client is exercised end to end in test/e2e).
 */
function fakeInteraction(
  kind: 'chat' | 'button',
  opts: { customId?: string; failReplies?: boolean; messageCustomIds?: string[]; locale?: string } = {},
) {
  const calls: { method: string; body: unknown }[] = [];
  const record = (method: string) => async (body?: unknown) => {
    calls.push({ method, body });
    if (opts.failReplies) throw new Error('Unknown interaction');
    if (method === 'deferReply' || method === 'deferUpdate') fake.deferred = true;
    if (method === 'reply') fake.replied = true;
    if (method === 'editReply') fake.replied = true;
  };
  const fake = {
    locale: opts.locale ?? 'en-US',
    deferred: false,
    replied: false,
    guildId: '123456789012345678',
    commandName: 'quiz',
    customId: opts.customId ?? '',
    // The clicked message's components (one action row); by default the button is on it.
    message: {
      components: [
        { components: (opts.messageCustomIds ?? [opts.customId ?? '']).map((customId) => ({ customId })) },
      ],
    },
    options: { getSubcommandGroup: () => null, getSubcommand: () => 'take' },
    isChatInputCommand: () => kind === 'chat',
    isAutocomplete: () => false,
    isMessageComponent: () => kind === 'button',
    isButton: () => kind === 'button',
    isModalSubmit: () => false,
    reply: record('reply'),
    deferReply: record('deferReply'),
    deferUpdate: record('deferUpdate'),
    editReply: record('editReply'),
    followUp: record('followUp'),
    calls,
  };
  return fake;
}

function setup(command: Partial<Command>) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const recorded: { name: string; outcome: InteractionOutcome | undefined }[] = [];
  const errors: { type: string; details: unknown }[] = [];
  const metricsRegistry = new Registry();
  const router = new InteractionRouter({
    commands: [
      {
        definition: new SlashCommandBuilder().setName('quiz').setDescription('Quizzes').toJSON(),
        execute: async () => undefined,
        ...command,
      },
    ],
    logger,
    analytics: {
      recordCommand: (name, _seconds, outcome) => recorded.push({ name, outcome }),
      recordError: (type, details) => errors.push({ type, details }),
    },
    metricsRegistry,
    clock: { now: () => 0 },
  });
  return { router, lines, recorded, errors, metricsRegistry };
}

const asInteraction = (fake: ReturnType<typeof fakeInteraction>) => fake as unknown as Interaction;

afterEach(() => {
  vi.useRealTimers();
});

describe('interactions by locale', () => {
  it("counts each interaction under the member's Discord locale and the language it was answered in", async () => {
    const { router, metricsRegistry } = setup({});
    for (const locale of ['de', 'de', 'en-GB', 'ja', 'xx-YY'])
      await router.handle(asInteraction(fakeInteraction('chat', { locale })));
    const text = await metricsRegistry.metrics();
    expect(text).toContain('badgey_interactions_by_locale_total{locale="de",language="de"} 2');
    expect(text).toContain('badgey_interactions_by_locale_total{locale="en-GB",language="en-US"} 1');
    // Japanese members read English: a language to add.
    expect(text).toContain('badgey_interactions_by_locale_total{locale="ja",language="en-US"} 1');
    expect(text).toContain('badgey_interactions_by_locale_total{locale="other",language="en-US"} 1');
  });
});

describe('InteractionRouter error boundary', () => {
  it('GIVEN a handler that throws after deferring THEN edits the deferred reply with the friendly message', async () => {
    const { router, lines, recorded, errors, metricsRegistry } = setup({
      execute: async (interaction) => {
        await interaction.deferReply();
        throw new Error('database is on fire');
      },
    });
    const fake = fakeInteraction('chat');
    await router.handle(asInteraction(fake));
    expect(fake.calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(JSON.stringify(fake.calls[1]?.body)).toMatch(/Something went wrong/);
    expect(recorded).toEqual([{ name: 'quiz take', outcome: 'error' }]);
    expect(errors.map((e) => e.type)).toEqual(['command_failed']);
    const errorLines = lines.filter((l) => l.level === 50);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatchObject({
      command: 'quiz take',
      guildId: '123456789012345678',
      msg: 'command failed',
    });
    expect(await metricsRegistry.metrics()).toContain(
      'badgey_interactions_total{type="chat_input",outcome="error"} 1',
    );
  });

  it('GIVEN a button handler that throws after deferUpdate THEN a follow-up, never an edit of the quiz message', async () => {
    const { router } = setup({
      components: {
        'quiz-answer': async (interaction) => {
          await interaction.deferUpdate();
          throw new Error('boom');
        },
      },
    });
    const fake = fakeInteraction('button', { customId: encodeCustomId('quiz-answer', 'pick', 'A') });
    await router.handle(asInteraction(fake));
    expect(fake.calls.map((c) => c.method)).toEqual(['deferUpdate', 'followUp']);
    expect(fake.calls[1]?.body).toMatchObject({ flags: 64, allowedMentions: { parse: [] } });
  });

  it('GIVEN the error reply itself fails THEN handle() still resolves and logs a warning', async () => {
    const { router, lines } = setup({
      execute: async () => {
        throw new Error('boom');
      },
    });
    await expect(
      router.handle(asInteraction(fakeInteraction('chat', { failReplies: true }))),
    ).resolves.toBeUndefined();
    expect(lines.some((l) => l.level === 40 && l.msg === 'could not send the error reply')).toBe(true);
  });

  it('counts an answered user error as rejected, not as a failure', async () => {
    const { router, recorded, errors } = setup({
      execute: (interaction) => replyError(interaction, { kind: 'guildOnly' }),
    });
    await router.handle(asInteraction(fakeInteraction('chat')));
    expect(recorded).toEqual([{ name: 'quiz take', outcome: 'rejected' }]);
    expect(errors).toEqual([]);
  });

  it('refuses a custom id whose handler has no component on the message in a new ephemeral reply; the handler never runs', async () => {
    // Issue 12 item 8: a forged delete confirmation on a member's own quiz-session message used to
    // reach the delete handler, which replaced the session message with its refusal (update).
    let ran = false;
    const { router, recorded } = setup({
      components: {
        'quiz-delete': async (interaction) => {
          ran = true;
          await interaction.update?.({ content: 'refused' });
          return 'rejected';
        },
      },
    });
    const fake = fakeInteraction('button', {
      customId: encodeCustomId('quiz-delete', 'confirm', '7', '123456789012345678'),
      messageCustomIds: [encodeCustomId('quiz-play', 'answer', 's1', '0', '1')],
    });
    await router.handle(asInteraction(fake));
    expect(ran).toBe(false);
    expect(fake.calls.map((c) => c.method)).toEqual(['reply']);
    expect(fake.calls[0]?.body).toMatchObject({
      flags: 64,
      content: expect.stringMatching(/doesn't belong/),
    });
    expect(recorded).toEqual([{ name: 'button:quiz-delete', outcome: 'rejected' }]);
  });

  it('routes a button to the handler named in its custom id, with the parsed arguments', async () => {
    const seen: string[][] = [];
    const { router, recorded } = setup({
      components: {
        'quiz-answer': async (_interaction, id) => {
          seen.push([id.action, ...id.args]);
          return undefined;
        },
      },
    });
    await router.handle(
      asInteraction(fakeInteraction('button', { customId: encodeCustomId('quiz-answer', 'pick', 'B') })),
    );
    expect(seen).toEqual([['pick', 'B']]);
    expect(recorded).toEqual([{ name: 'button:quiz-answer', outcome: 'ok' }]);
  });

  it('refuses two commands with the same name at construction', () => {
    const definition = new SlashCommandBuilder().setName('quiz').setDescription('x').toJSON();
    const command: Command = { definition, execute: async () => undefined };
    expect(
      () =>
        new InteractionRouter({
          commands: [command, command],
          logger: pino({ level: 'silent' }),
          analytics: { recordCommand: () => {}, recordError: () => {} },
          metricsRegistry: new Registry(),
          clock: { now: () => 0 },
        }),
    ).toThrow(/two commands are named "quiz"/);
  });
});

describe('deferIfSlow', () => {
  it('defers once the work passes the threshold, and not when it is quick', async () => {
    vi.useFakeTimers();
    const slow = fakeInteraction('chat');
    let finish: (value: string) => void = () => {};
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const result = deferIfSlow(slow as never, work, { ephemeral: true });
    await vi.advanceTimersByTimeAsync(1_499);
    expect(slow.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(slow.calls).toEqual([{ method: 'deferReply', body: { flags: 64 } }]);
    finish('done');
    await expect(result).resolves.toBe('done');

    const quick = fakeInteraction('chat');
    await expect(deferIfSlow(quick as never, Promise.resolve(1), { ephemeral: false })).resolves.toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(quick.calls).toEqual([]);
  });
});
