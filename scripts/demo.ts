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
  const admin = emu.addMember(guild.id, {
    user: { username: 'Admiral', globalName: 'Admiral' },
    permissions: MANAGE_GUILD,
  });
  console.log(
    dim(
      `Discord emulator on ${emu.apiBase}: "${guild.name}", #quiz, members Ada and Admiral (Manage Server)`,
    ),
  );

  const bot = await BotProcess.start({
    env: {
      DISCORD_API_URL: emu.apiBase,
      DISCORD_TOKEN: emu.token,
      DISCORD_GUILD_IDS: guild.id,
      LOG_LEVEL: 'warn',
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
