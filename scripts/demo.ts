/**
 * `make demo`: Badgey without a Discord account. Starts the local Discord emulator, the REAL bot
 * (`node dist/main.js`, built by `make demo`) pointed at it, and a scripted member who uses the
 * commands; prints the conversation, then stops the bot with SIGTERM and exits.
 *
 * Extend the conversation in `conversation()` below: `use(member, 'command', options)` injects a
 * slash command and prints Badgey's answers (buttons: `emu.injectComponent` + `printAnswers`).
 */
import { readFileSync } from 'node:fs';
import type { APIApplicationCommandInteractionDataOption } from 'discord-api-types/v10';
import { parse as parseYaml } from 'yaml';
import { BotProcess } from '../test/support/botProcess.js';
import type {
  EmulatedMember,
  InteractionHandle,
  InteractionResponse,
} from '../test/support/discord-emulator/index.js';
import { DiscordEmulator } from '../test/support/discord-emulator/index.js';

const EPHEMERAL = 64;
const MANAGE_GUILD = 1n << 5n;
const color = process.stdout.isTTY;
const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const cyan = (s: string) => (color ? `\x1b[36m${s}\x1b[0m` : s);

interface Embed {
  title?: string;
  description?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
}
interface Component {
  type: number;
  label?: string;
  custom_id?: string;
  components?: Component[];
  options?: { label: string }[];
}

/** Discord markdown, flattened for a terminal. */
const plain = (text: string) => text.replaceAll('**', '').replaceAll('*', '').replaceAll('`', '');

function printResponse(response: InteractionResponse): void {
  const { data } = response;
  const who =
    (data.flags ?? 0) & EPHEMERAL
      ? `${bold('Badgey')} › ${dim('(only you can see this)')}`
      : `${bold('Badgey')} ›`;
  if (response.type === 5) {
    console.log(`${who} ${dim('Badgey is thinking…')}`);
    return;
  }
  if (response.type === 9) {
    console.log(`${who} ${dim(`(opens a form: "${String(data.title ?? '')}")`)}`);
    return;
  }
  console.log(data.content ? `${who} ${plain(data.content)}` : who);
  for (const embed of (data.embeds ?? []) as unknown as Embed[]) {
    if (embed.title) console.log(`    ┃ ${bold(plain(embed.title))}`);
    if (embed.description)
      for (const line of plain(embed.description).split('\n')) console.log(`    ┃ ${line}`);
    for (const field of embed.fields ?? []) {
      const lines = plain(field.value).split('\n');
      if (lines.length === 1) console.log(`    ┃ ${cyan(plain(field.name))}: ${lines[0]}`);
      else {
        console.log(`    ┃ ${cyan(plain(field.name))}:`);
        for (const line of lines) console.log(`    ┃   ${line}`);
      }
    }
    if (embed.footer) console.log(`    ┃ ${dim(plain(embed.footer.text))}`);
  }
  const buttons = ((data.components ?? []) as unknown as Component[])
    .flatMap((row) => row.components ?? [])
    .map((c) => (c.options ? `[${c.options.map((o) => o.label).join(' | ')} ▾]` : `[${c.label ?? '?'}]`));
  if (buttons.length > 0) console.log(`    ${buttons.join(' ')}`);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const emu = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  const guild = emu.addGuild({ name: 'Demo Guild', channels: [{ name: 'quiz' }] });
  const channelId = guild.channels[0]?.id ?? '';
  const ada = emu.addMember(guild.id, { user: { username: 'Ada', globalName: 'Ada' }, permissions: 0n });
  const bob = emu.addMember(guild.id, { user: { username: 'Bob', globalName: 'Bob' }, permissions: 0n });
  const cy = emu.addMember(guild.id, { user: { username: 'Cy', globalName: 'Cy' }, permissions: 0n });
  const admin = emu.addMember(guild.id, {
    user: { username: 'Admiral', globalName: 'Admiral' },
    permissions: MANAGE_GUILD,
  });
  // Greta's Discord client is German: every interaction of hers carries locale "de".
  const greta = emu.addMember(guild.id, {
    user: { username: 'Greta', globalName: 'Greta', locale: 'de' },
    permissions: 0n,
  });
  console.log(
    dim(
      `Discord emulator on ${emu.apiBase}: "${guild.name}", #quiz, members Ada, Bob, Cy, Greta (German client) and Admiral (Manage Server)`,
    ),
  );

  const bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      LOG_LEVEL: 'warn',
      LIVE_GAME_INTERLUDE_SECONDS: '2',
    },
  });
  let exitCode = 0;
  try {
    console.log(
      dim(`Starting the real bot (node dist/main.js, pid ${bot.child.pid}, health on :${bot.healthPort})…`),
    );
    await bot.waitForStatus('/ready', 200, 20_000);
    await waitForCommands(emu, guild.id);
    console.log(
      dim(
        `Badgey is ready (/ready 200) after ${Date.now() - startedAt} ms; commands registered in Demo Guild.\n`,
      ),
    );

    const nameOf = (m: EmulatedMember) => m.user.globalName ?? m.user.username;
    const use = async (
      member: EmulatedMember,
      name: string,
      options: APIApplicationCommandInteractionDataOption[] = [],
    ): Promise<InteractionHandle> => {
      const show = (list: APIApplicationCommandInteractionDataOption[]): string =>
        list
          .map((o) =>
            'value' in o
              ? ` ${o.name}:${String(o.value)}`
              : ` ${o.name}${'options' in o && o.options ? show(o.options as APIApplicationCommandInteractionDataOption[]) : ''}`,
          )
          .join('');
      const shown = show(options);
      console.log(`${bold(nameOf(member))} › /${name}${shown}`);
      const handle = emu.injectChatInput({
        guildId: guild.id,
        channelId,
        userId: member.user.id,
        name,
        options,
      });
      await printAnswers(handle);
      return handle;
    };

    await conversation({ emu, guildId: guild.id, channelId, ada, admin, use });
    await quizNight({ emu, guildId: guild.id, channelId, ada, bob, cy, admin, use });
    await soloTake({ emu, guildId: guild.id, channelId, ada, use });
    console.log(bold('── Greta, whose Discord is German: replies only she sees are in German ──\n'));
    await use(greta, 'quiz', [subcommand('list')]);
    await use(greta, 'quiz', [subcommand('take', [text('quiz', 'Saturn')])]);
  } catch (err) {
    exitCode = 1;
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(bot.dump());
  } finally {
    bot.signal('SIGTERM');
    const exit = await bot.waitForExit(15_000).catch(() => undefined);
    console.log(dim(`\nBot stopped (SIGTERM → exit code ${exit?.code ?? 'timeout'}).`));
    if (exit?.code !== 0) exitCode = 1;
    await bot.stop();
    await emu.close();
  }
  process.exit(exitCode);
}

type Option = APIApplicationCommandInteractionDataOption;
const subcommand = (name: string, options: Option[] = []) => ({ type: 1, name, options }) as Option;
const text = (name: string, value: string) => ({ type: 3, name, value }) as Option;

/** The scripted conversation. Later features add their steps here. */
async function conversation(ctx: {
  emu: DiscordEmulator;
  guildId: string;
  channelId: string;
  ada: EmulatedMember;
  admin: EmulatedMember;
  use: (member: EmulatedMember, name: string, options?: Option[]) => Promise<InteractionHandle>;
}): Promise<void> {
  const { emu, ada, admin, use } = ctx;
  await use(ada, 'help');
  await use(ada, 'status');
  await use(admin, 'status');

  // Authoring: a member may not create; the admin imports a quiz file and adds a question through the form.
  await use(ada, 'quiz', [subcommand('create', [text('name', 'My own quiz')])]);
  const file = emu.addAttachment(
    'planets.yaml',
    readFileSync(new URL('../test/fixtures/quizzes/planets.yaml', import.meta.url)),
    'application/yaml',
  );
  await use(admin, 'quiz', [subcommand('import', [{ type: 11, name: 'file', value: file.id } as Option])]);
  const form = await use(admin, 'quiz', [subcommand('add-question', [text('quiz', 'Planets: the basics')])]);
  const fields = {
    question: 'Which planet has the most moons?',
    options: 'Jupiter\nSaturn\nNeptune',
    correct: 'Saturn',
    points: '10',
    explanation: 'Saturn had 146 known moons in 2023.',
  };
  console.log(`${bold('Admiral')} › ${dim(`(fills in the form: ${fields.question} → ${fields.correct})`)}`);
  await printAnswers(
    emu.injectModalSubmit({
      guildId: ctx.guildId,
      channelId: ctx.channelId,
      userId: admin.user.id,
      customId: String(form.responses[0]?.data.custom_id ?? ''),
      fields,
    }),
  );
  await use(ada, 'quiz', [subcommand('list')]);
}

/** The right answer of every demo question, by question text (the quiz file plus the added question). */
function answerKey(): Map<string, string> {
  const file = parseYaml(
    readFileSync(new URL('../test/fixtures/quizzes/planets.yaml', import.meta.url), 'utf8'),
  ) as {
    questions: { question: string; answer: string }[];
  };
  const key = new Map(file.questions.map((q) => [q.question, q.answer]));
  key.set('Which planet has the most moons?', 'Saturn');
  return key;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface ShownMessage {
  id: string;
  content: string;
  embeds: Embed[];
  components?: Component[];
  flags?: number;
}

function printChannelMessage(message: ShownMessage, label = ''): void {
  printResponse({
    kind: 'message',
    data: message,
    files: [],
    at: 0,
    elapsedMs: 0,
  } as unknown as InteractionResponse);
  if (label) console.log(dim(`    ${label}`));
  console.log();
}

const titleOf = (m: ShownMessage | undefined) => m?.embeds[0]?.title ?? '';
const buttonsOf = (m: ShownMessage) =>
  (m.components ?? []).flatMap((row) => row.components ?? []).filter((c) => c.custom_id !== undefined);

/**
 * A quiz night: the admin hosts a live game in #quiz, and Ada, Bob and Cy play it on ordinary
 * channel messages — each click acknowledged only to the clicker, reveals by editing the question,
 * standings, a podium, and the live leaderboard.
 */
async function quizNight(ctx: {
  emu: DiscordEmulator;
  guildId: string;
  channelId: string;
  ada: EmulatedMember;
  bob: EmulatedMember;
  cy: EmulatedMember;
  admin: EmulatedMember;
  use: (member: EmulatedMember, name: string, options?: Option[]) => Promise<InteractionHandle>;
}): Promise<void> {
  const { emu, channelId, admin, use } = ctx;
  const quiz = 'Planets: the basics';
  console.log(bold('── Quiz night: a live game the whole channel plays ──\n'));
  await use(admin, 'quiz', [
    subcommand('edit', [text('quiz', quiz), { type: 4, name: 'timer', value: 6 } as Option]),
  ]);
  await use(admin, 'quiz', [subcommand('host', [text('quiz', quiz)])]);
  const channel = () =>
    emu.messages(channelId).filter((m) => ((m.flags ?? 0) & EPHEMERAL) === 0) as unknown as ShownMessage[];
  const lobby = await waitFor(() => channel().find((m) => /^Live quiz/.test(titleOf(m))), 'the lobby');
  printChannelMessage(lobby, '(posted in #quiz)');
  const start = buttonsOf(lobby).find((b) => b.label === 'Start now');
  console.log(`${bold('Admiral')} › [Start now]\n`);
  await emu
    .injectComponent({ messageId: lobby.id, customId: start?.custom_id ?? '', userId: admin.user.id })
    .waitForResponse(5000);

  const key = answerKey();
  const players: [EmulatedMember, 'right' | 'first', number][] = [
    [ctx.ada, 'right', 900],
    [ctx.bob, 'first', 1700],
    [ctx.cy, 'right', 2600],
  ];
  const seen = new Set<string>();
  for (;;) {
    const question = await waitFor(
      () =>
        channel().find(
          (m) => !seen.has(m.id) && /^Question \d+ of \d+$/.test(titleOf(m)) && buttonsOf(m).length > 0,
        ),
      'the next question',
    );
    seen.add(question.id);
    printChannelMessage(question, '(posted in #quiz)');
    const text = (question.embeds[0]?.description ?? '').split('\n')[0]?.replaceAll('\\', '') ?? '';
    const right = key.get(text);
    const buttons = buttonsOf(question);
    const askedAt = Number((BigInt(question.id) >> 22n) + 1420070400000n);
    for (const [member, how, afterMs] of players) {
      const wait = askedAt + afterMs - Date.now();
      if (wait > 0) await sleep(wait);
      const button =
        how === 'right' ? (buttons.find((b) => b.label?.slice(3) === right) ?? buttons[0]) : buttons[0];
      console.log(`${bold(member.user.globalName ?? member.user.username)} › [${button?.label ?? '?'}]`);
      await printAnswers(
        emu.injectComponent({
          messageId: question.id,
          customId: button?.custom_id ?? '',
          userId: member.user.id,
        }),
      );
    }
    const revealed = await waitFor(() => {
      const m = emu.message(question.id)?.message as unknown as ShownMessage | undefined;
      return /the answer is/.test(titleOf(m)) ? m : undefined;
    }, 'the reveal');
    printChannelMessage(revealed, '(the question message, edited)');
    const after = await waitFor(
      () => channel().find((m) => !seen.has(m.id) && /^(Standings|🏆)/.test(titleOf(m))),
      'standings or the podium',
    );
    seen.add(after.id);
    printChannelMessage(after, '(posted in #quiz)');
    if (/^🏆/.test(titleOf(after))) break;
  }
  await use(ctx.ada, 'leaderboard', [text('mode', 'live')]);
}

/** Ada takes the quiz on her own (only she sees it), plays it to the end, then the leaderboard. */
async function soloTake(ctx: {
  emu: DiscordEmulator;
  guildId: string;
  channelId: string;
  ada: EmulatedMember;
  use: (member: EmulatedMember, name: string, options?: Option[]) => Promise<InteractionHandle>;
}): Promise<void> {
  const { emu, ada, use } = ctx;
  console.log(bold('── Solo: /quiz take, played to the end ──\n'));
  const key = answerKey();
  const take = await use(ada, 'quiz', [subcommand('take', [text('quiz', 'Planets: the basics')])]);
  const messageId = await waitFor(() => take.originalMessage()?.id, 'the quiz message');
  let lastShown = '';
  for (let step = 0; step < 20; step++) {
    const message = await waitFor(() => {
      const m = emu.message(messageId)?.message as unknown as ShownMessage | undefined;
      const shown = m
        ? `${titleOf(m)}|${buttonsOf(m)
            .map((b) => b.label)
            .join()}`
        : '';
      return m && m.embeds.length > 0 && shown !== lastShown ? m : undefined;
    }, 'the next screen');
    lastShown = `${titleOf(message)}|${buttonsOf(message)
      .map((b) => b.label)
      .join()}`;
    // The first screen was printed with the command's answers already.
    const printed = step === 0 && take.responses.some((r) => (r.data.embeds ?? []).length > 0);
    if (!printed) printChannelMessage(message, '(only Ada sees this)');
    const buttons = buttonsOf(message);
    const next = buttons.find((b) => b.label === 'Next question' || b.label === 'See results');
    let choice = next;
    if (!choice && /^Question/.test(titleOf(message))) {
      const text = (message.embeds[0]?.description ?? '').split('\n')[0]?.replaceAll('\\', '') ?? '';
      const right = key.get(text);
      choice = buttons.find((b) => (b.label ?? '').replace(/^[A-E]\. /, '') === right) ?? buttons[0];
    }
    if (!choice) break;
    console.log(`${bold('Ada')} › [${choice.label ?? '?'}]\n`);
    emu.injectComponent({ messageId, customId: choice.custom_id ?? '', userId: ada.user.id });
    await sleep(300);
  }
  await use(ada, 'leaderboard');
}

/** Prints the first answer and whatever follows within a short settle time (edits, follow-ups). */
async function printAnswers(handle: InteractionHandle): Promise<void> {
  await handle.waitForResponse(5000);
  let printed = 0;
  let quietSince = Date.now();
  while (Date.now() - quietSince < 150) {
    while (printed < handle.responses.length) {
      const response = handle.responses[printed++];
      if (response) printResponse(response);
      quietSince = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  console.log();
}

async function waitForCommands(emu: DiscordEmulator, guildId: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (emu.registeredCommands({ guildId }).length === 0) {
    if (Date.now() > deadline) throw new Error('the bot registered no commands within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

await main();
