/**
 * The messages of a live channel game: lobby, question (with the live counter), reveal, standings,
 * podium, results post, `/quiz games`, and what clicks and the host are told. Pure: domain views
 * in, Discord payloads out. Players are shown as mentions, always sent with mentions off.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { LIVE_GAME_HANDLER } from '../components/handlerNames.js';
import { OPTION_LETTERS } from '../quiz/limits.js';
import type { LiveEndReason, LiveGameState, RankedPlayer } from '../quiz/live/LiveGame.js';
import type { HostError, LiveAnswerResult } from '../quiz/live/LiveGameService.js';
import type { LivePodiumView, LiveQuestionView, LiveRevealView } from '../quiz/live/ports.js';
import { discordTime, escapeMarkdown, quoted, truncate } from './quizText.js';

export interface LiveMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: [] };
}

const BLUE = 0x5865f2;
const GREEN = 0x3ba55c;
const GOLD = 0xf1c40f;
const GREY = 0x99aab5;
const MEDALS = ['🥇', '🥈', '🥉'];

function letter(index: number): string {
  return OPTION_LETTERS[index] ?? String(index + 1);
}

function message(embeds: APIEmbed[], components: LiveMessage['components'] = []): LiveMessage {
  return { content: '', embeds, components, allowed_mentions: { parse: [] } };
}

function row(...buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: buttons };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function renderLobby(game: LiveGameState): LiveMessage {
  const lines = [
    `**${plural(game.questions.length, 'question')}**, ${game.timerSeconds} s each. Anyone in this channel can play: press a button to answer — your first answer counts, and faster correct answers score more.`,
  ];
  if (game.status === 'scheduled' && game.startsAt !== null)
    lines.push('', `Starts ${discordTime(game.startsAt, 'R')} (${discordTime(game.startsAt, 'f')}).`);
  if (game.status === 'lobby') lines.push('', `Hosted by <@${game.hostId}>. Waiting for the host to start.`);
  if (game.status === 'running' || game.status === 'finished') lines.push('', '**The game has started!**');
  if (game.status === 'cancelled') lines.push('', '**This game was cancelled.**');
  const components =
    game.status === 'lobby'
      ? [
          row(
            {
              type: ComponentType.Button,
              style: ButtonStyle.Success,
              label: 'Start now',
              custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'start', game.id),
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: 'Cancel',
              custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'cancel', game.id),
            },
          ),
        ]
      : [];
  return message(
    [
      {
        title: truncate(`Live quiz: ${game.quizName}`, 256),
        description: truncate(lines.join('\n'), 4096),
        color: game.status === 'cancelled' ? GREY : BLUE,
      },
    ],
    components,
  );
}

function questionEmbed(game: LiveGameState, index: number, footer: string): APIEmbed {
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const options = question.options.map((option, i) => `**${letter(i)}.** ${escapeMarkdown(option)}`);
  return {
    title: truncate(`Question ${index + 1} of ${game.questions.length}`, 256),
    description: truncate(`${escapeMarkdown(question.text)}\n\n${options.join('\n')}`, 4096),
    color: BLUE,
    footer: { text: footer },
  };
}

export function renderLiveQuestion(view: LiveQuestionView, answered = 0): LiveMessage {
  const { game, index } = view;
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const buttons: APIButtonComponent[] = question.options.map((option, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: truncate(`${letter(i)}. ${option}`, 80),
    custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'answer', game.id, i),
  }));
  const footer = `${game.timerSeconds} s to answer · ${plural(answered, 'answer')} so far`;
  const out = message([questionEmbed(game, index, footer)], [row(...buttons)]);
  if (view.reasked)
    out.content = `Badgey restarted during question ${index + 1}, so it is asked again. Every score up to question ${index} is kept.`;
  return out;
}

/** The "N answered" refresh: only the footer changes. */
export function renderLiveCounter(view: LiveQuestionView, answered: number): LiveMessage {
  return renderLiveQuestion(view, answered);
}

export function renderReveal(view: LiveRevealView): LiveMessage {
  const { game, index } = view;
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const options = question.options.map((option, i) => {
    const mark = i === question.correctIndex ? '✅' : '▫️';
    return `${mark} **${letter(i)}.** ${escapeMarkdown(option)} — ${plural(view.counts[i] ?? 0, 'answer')}`;
  });
  const fastest =
    view.fastest.length === 0
      ? 'Nobody answered correctly.'
      : `Fastest: ${view.fastest.map((f, i) => `${MEDALS[i] ?? ''} <@${f.userId}> (${seconds(f.elapsedMs)})`).join(' · ')}`;
  const parts = [escapeMarkdown(question.text), '', ...options, '', fastest];
  if (question.explanation) parts.push('', `*${escapeMarkdown(question.explanation)}*`);
  return message([
    {
      title: truncate(
        `Question ${index + 1} of ${game.questions.length}: the answer is ${letter(question.correctIndex)}`,
        256,
      ),
      description: truncate(parts.join('\n'), 4096),
      color: GREEN,
      footer: { text: `${plural(view.answered, 'player')} answered` },
    },
  ]);
}

function standingLine(p: RankedPlayer): string {
  const place = p.rank <= 3 ? (MEDALS[p.rank - 1] ?? `${p.rank}.`) : `**${p.rank}.**`;
  return `${place} <@${p.userId}> — **${p.score}** (${p.correct} correct)`;
}

export function renderStandings(
  game: LiveGameState,
  top: RankedPlayer[],
  more: number,
  index: number,
): LiveMessage {
  const lines = top.length === 0 ? ['No points yet.'] : top.map(standingLine);
  if (more > 0) lines.push(`…and ${plural(more, 'more player')}`);
  return message([
    {
      title: `Standings after question ${index + 1} of ${game.questions.length}`,
      description: truncate(lines.join('\n'), 4096),
      color: BLUE,
    },
  ]);
}

const END_TEXT: Record<LiveEndReason, string> = {
  completed: 'That was the last question!',
  cancelled: 'The game was stopped by a manager. Results so far:',
  channel_deleted: 'The game channel was deleted, so the game ended. Results so far:',
  no_access: 'I lost access to the game channel, so the game ended. Results so far:',
  quiz_deleted: 'The quiz was deleted, so the game ended. Results so far (not stored):',
};

function podiumLines(ranking: RankedPlayer[], max: number): string[] {
  if (ranking.length === 0) return ['Nobody played.'];
  const lines = ranking.slice(0, max).map(standingLine);
  if (ranking.length > max) lines.push(`…and ${plural(ranking.length - max, 'more player')}`);
  return lines;
}

export function renderPodium(view: LivePodiumView): LiveMessage {
  const lines = [END_TEXT[view.reason], '', ...podiumLines(view.ranking, 10)];
  if (view.stored) lines.push('', 'Scores are on `/leaderboard` (try `mode: Live games`).');
  return message([
    {
      title: truncate(`🏆 Final results: ${view.game.quizName}`, 256),
      description: truncate(lines.join('\n'), 4096),
      color: GOLD,
      footer: {
        text: `${plural(view.ranking.length, 'player')} · ${plural(view.game.questions.length, 'question')}`,
      },
    },
  ]);
}

export function renderLiveResultsPost(view: LivePodiumView): LiveMessage {
  return message([
    {
      title: truncate(`Live quiz results: ${view.game.quizName}`, 256),
      description: truncate(
        [
          `Played in <#${view.game.channelId}>.`,
          END_TEXT[view.reason],
          '',
          ...podiumLines(view.ranking, 10),
        ].join('\n'),
        4096,
      ),
      color: GOLD,
    },
  ]);
}

export function renderGamesList(games: LiveGameState[], now: number): LiveMessage {
  if (games.length === 0)
    return message([
      {
        title: 'Live games',
        description: 'No scheduled or running games. Host one with `/quiz host`.',
        color: GREY,
      },
    ]);
  const lines = games.map((g) => {
    const when =
      g.status === 'running'
        ? `running, question ${g.index + 1} of ${g.questions.length}`
        : g.status === 'scheduled' && g.startsAt !== null
          ? `starts ${discordTime(g.startsAt, 'R')}`
          : 'waiting for the host';
    return `\`${g.id}\` ${quoted(g.quizName)} in <#${g.channelId}> — ${when}`;
  });
  const buttons = games.slice(0, 5).map(
    (g, i): APIButtonComponent => ({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: truncate(`Cancel ${i + 1}: ${g.quizName}`, 80),
      custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'cancel', g.id),
    }),
  );
  void now;
  return message(
    [{ title: 'Live games', description: truncate(lines.join('\n'), 4096), color: BLUE }],
    buttons.length > 0 ? [row(...buttons)] : [],
  );
}

export function renderHosted(game: LiveGameState): string {
  return game.status === 'scheduled' && game.startsAt !== null
    ? `Scheduled ${quoted(game.quizName)} in <#${game.channelId}> for ${discordTime(game.startsAt, 'f')} (${discordTime(game.startsAt, 'R')}).`
    : `The lobby for ${quoted(game.quizName)} is up in <#${game.channelId}>. Press **Start now** when everyone is ready.`;
}

export function renderHostError(error: HostError): string {
  switch (error.kind) {
    case 'noQuestions':
      return `${quoted(error.quizName)} has no questions yet. Add some with \`/quiz add-question\` first.`;
    case 'channelBusy':
      return 'That channel already has a scheduled or running game. See `/quiz games`.';
    case 'guildCap':
      return `This server already has ${plural(error.cap, 'scheduled or running game')}, the most allowed at once. Cancel one in \`/quiz games\` or wait for one to finish.`;
    case 'channelGone':
      return error.reason === 'channel_deleted'
        ? 'That channel no longer exists.'
        : "I can't post in that channel. Check my permissions there (View Channel, Send Messages, Embed Links, Read Message History).";
  }
}

export function renderMissingPermissions(channelId: string, missing: string[]): string {
  return `I can't run a game in <#${channelId}>: I'm missing ${missing.map((m) => `**${m}**`).join(', ')} there. Ask a server admin to grant ${missing.length === 1 ? 'it' : 'them'} to me in that channel, then try again.`;
}

export function renderBadStart(problem: string): string {
  return `I couldn't read \`starts\`: ${problem}. Use a relative time like \`10m\` or \`2h\`, or an ISO date-time with a time zone such as \`2026-05-01T19:30:00+02:00\` (at most 14 days ahead).`;
}

export function renderAnswerAck(result: LiveAnswerResult): string {
  if (result.ok) return `Locked in: **${letter(result.optionIndex)}**`;
  if (result.reason === 'already')
    return `You already locked in **${letter(result.optionIndex)}**: your first answer counts.`;
  return 'This question is closed.';
}
