/**
 * The messages of a live channel game: lobby, question (with the live counter), reveal, standings,
 * podium, results post, `/quiz games`, and what clicks and the host are told. Pure: domain views
 * in, Discord payloads out, in the language of `t` (the game's posts: the server's language stored
 * in the game; replies to one member: that member's). Players are shown as mentions, always sent
 * with mentions off.
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
import { formatDecimal, type MessageKey, type Translate } from '../i18n/index.js';
import { OPTION_LETTERS } from '../quiz/limits.js';
import type { LiveEndReason, LiveGameState, RankedPlayer } from '../quiz/live/LiveGame.js';
import type { HostError, LiveAnswerResult } from '../quiz/live/LiveGameService.js';
import type { LivePodiumView, LiveQuestionView, LiveRevealView } from '../quiz/live/ports.js';
import { MAX_START_AHEAD_DAYS, type StartTimeError } from '../quiz/live/startTime.js';
import { discordTime, escapeMarkdown, quoted, truncate } from './quizText.js';

export interface LiveMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  allowed_mentions: { parse: [] };
}

/** The channel permissions a game needs, by id; named as the member's Discord client names them. */
export const LIVE_PERMISSIONS = ['viewChannel', 'sendMessages', 'embedLinks', 'readMessageHistory'] as const;
export type LivePermission = (typeof LIVE_PERMISSIONS)[number];

const BLUE = 0x5865f2;
const GREEN = 0x3ba55c;
const GOLD = 0xf1c40f;
const GREY = 0x99aab5;
const MEDALS = ['🥇', '🥈', '🥉'];

function letter(index: number): string {
  return OPTION_LETTERS[index] ?? String(index + 1);
}

/** A quiz name inside quotes the catalogue writes: trimmed, shortened, Markdown escaped. */
function message(embeds: APIEmbed[], components: LiveMessage['components'] = []): LiveMessage {
  return { content: '', embeds, components, allowed_mentions: { parse: [] } };
}

function row(...buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: buttons };
}

/** `0.5 s`: one decimal, in the locale's notation (`0,5 s`). */
function seconds(ms: number, t: Translate): string {
  return t('live.reveal.time', { seconds: formatDecimal(ms / 1000, 1, t.locale) });
}

export function renderLobby(game: LiveGameState, t: Translate): LiveMessage {
  const lines = [t('live.lobby.intro', { count: game.questions.length, seconds: game.timerSeconds })];
  if (game.status === 'scheduled' && game.startsAt !== null)
    lines.push(
      '',
      t('live.lobby.startsAt', {
        relative: discordTime(game.startsAt, 'R'),
        date: discordTime(game.startsAt, 'f'),
      }),
    );
  if (game.status === 'lobby') lines.push('', t('live.lobby.hostedBy', { host: `<@${game.hostId}>` }));
  if (game.status === 'running' || game.status === 'finished') lines.push('', t('live.lobby.started'));
  if (game.status === 'cancelled') lines.push('', t('live.lobby.cancelled'));
  const components =
    game.status === 'lobby'
      ? [
          row(
            {
              type: ComponentType.Button,
              style: ButtonStyle.Success,
              label: t('live.lobby.startNow'),
              custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'start', game.id),
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: t('live.lobby.cancel'),
              custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'cancel', game.id),
            },
          ),
        ]
      : [];
  return message(
    [
      {
        title: truncate(t('live.lobby.title', { quiz: game.quizName }), 256),
        description: truncate(lines.join('\n'), 4096),
        color: game.status === 'cancelled' ? GREY : BLUE,
      },
    ],
    components,
  );
}

function questionEmbed(game: LiveGameState, index: number, footer: string, t: Translate): APIEmbed {
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const options = question.options.map((option, i) => `**${letter(i)}.** ${escapeMarkdown(option)}`);
  return {
    title: truncate(t('live.question.title', { number: index + 1, total: game.questions.length }), 256),
    description: truncate(`${escapeMarkdown(question.text)}\n\n${options.join('\n')}`, 4096),
    color: BLUE,
    footer: { text: footer },
  };
}

export function renderLiveQuestion(view: LiveQuestionView, answered: number, t: Translate): LiveMessage {
  const { game, index } = view;
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const buttons: APIButtonComponent[] = question.options.map((option, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    label: truncate(`${letter(i)}. ${option}`, 80),
    custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'answer', game.id, i),
  }));
  const footer = t('live.question.footer', { seconds: game.timerSeconds, count: answered });
  const out = message([questionEmbed(game, index, footer, t)], [row(...buttons)]);
  if (view.reasked) out.content = t('live.question.reasked', { number: index + 1, previous: index });
  return out;
}

/** The "N answered" refresh: only the footer changes. */
export function renderLiveCounter(view: LiveQuestionView, answered: number, t: Translate): LiveMessage {
  return renderLiveQuestion(view, answered, t);
}

export function renderReveal(view: LiveRevealView, t: Translate): LiveMessage {
  const { game, index } = view;
  const question = game.questions[index];
  if (!question) throw new RangeError(`no question ${index}`);
  const options = question.options.map((option, i) => {
    const mark = i === question.correctIndex ? '✅' : '▫️';
    const answers = t('live.reveal.optionAnswers', { count: view.counts[i] ?? 0 });
    return `${mark} **${letter(i)}.** ${escapeMarkdown(option)} — ${answers}`;
  });
  const fastest =
    view.fastest.length === 0
      ? t('live.reveal.nobodyCorrect')
      : t('live.reveal.fastest', {
          players: view.fastest
            .map((f, i) => `${MEDALS[i] ?? ''} <@${f.userId}> (${seconds(f.elapsedMs, t)})`)
            .join(' · '),
        });
  const parts = [escapeMarkdown(question.text), '', ...options, '', fastest];
  if (question.explanation) parts.push('', `*${escapeMarkdown(question.explanation)}*`);
  return message([
    {
      title: truncate(
        t('live.reveal.title', {
          number: index + 1,
          total: game.questions.length,
          letter: letter(question.correctIndex),
        }),
        256,
      ),
      description: truncate(parts.join('\n'), 4096),
      color: GREEN,
      footer: { text: t('live.reveal.footer', { count: view.answered }) },
    },
  ]);
}

function standingLine(p: RankedPlayer, t: Translate): string {
  const place = p.rank <= 3 ? (MEDALS[p.rank - 1] ?? `${p.rank}.`) : `**${p.rank}.**`;
  return t('live.standings.line', { place, player: `<@${p.userId}>`, score: p.score, correct: p.correct });
}

export function renderStandings(
  game: LiveGameState,
  top: RankedPlayer[],
  more: number,
  index: number,
  t: Translate,
): LiveMessage {
  const lines = top.length === 0 ? [t('live.standings.noPoints')] : top.map((p) => standingLine(p, t));
  if (more > 0) lines.push(t('live.standings.more', { count: more }));
  return message([
    {
      title: t('live.standings.title', { number: index + 1, total: game.questions.length }),
      description: truncate(lines.join('\n'), 4096),
      color: BLUE,
    },
  ]);
}

const END_TEXT: Record<LiveEndReason, MessageKey> = {
  completed: 'live.end.completed',
  cancelled: 'live.end.cancelled',
  channel_deleted: 'live.end.channelDeleted',
  no_access: 'live.end.noAccess',
  quiz_deleted: 'live.end.quizDeleted',
};

function podiumLines(ranking: RankedPlayer[], max: number, t: Translate): string[] {
  if (ranking.length === 0) return [t('live.podium.nobody')];
  const lines = ranking.slice(0, max).map((p) => standingLine(p, t));
  if (ranking.length > max) lines.push(t('live.standings.more', { count: ranking.length - max }));
  return lines;
}

export function renderPodium(view: LivePodiumView, t: Translate): LiveMessage {
  const lines = [t(END_TEXT[view.reason]), '', ...podiumLines(view.ranking, 10, t)];
  if (view.stored) lines.push('', t('live.podium.leaderboardHint'));
  return message([
    {
      title: truncate(t('live.podium.title', { quiz: view.game.quizName }), 256),
      description: truncate(lines.join('\n'), 4096),
      color: GOLD,
      footer: {
        text: t('live.podium.footer', {
          players: t('live.podium.players', { count: view.ranking.length }),
          questions: t('live.podium.questions', { count: view.game.questions.length }),
        }),
      },
    },
  ]);
}

export function renderLiveResultsPost(view: LivePodiumView, t: Translate): LiveMessage {
  return message([
    {
      title: truncate(t('live.results.title', { quiz: view.game.quizName }), 256),
      description: truncate(
        [
          t('live.results.playedIn', { channel: `<#${view.game.channelId}>` }),
          t(END_TEXT[view.reason]),
          '',
          ...podiumLines(view.ranking, 10, t),
        ].join('\n'),
        4096,
      ),
      color: GOLD,
    },
  ]);
}

export function renderGamesList(games: LiveGameState[], now: number, t: Translate): LiveMessage {
  if (games.length === 0)
    return message([{ title: t('live.games.title'), description: t('live.games.none'), color: GREY }]);
  const lines = games.map((g) => {
    const when =
      g.status === 'running'
        ? t('live.games.running', { number: g.index + 1, total: g.questions.length })
        : g.status === 'scheduled' && g.startsAt !== null
          ? t('live.games.startsAt', { relative: discordTime(g.startsAt, 'R') })
          : t('live.games.waiting');
    return t('live.games.line', {
      id: g.id,
      quiz: quoted(g.quizName, t),
      channel: `<#${g.channelId}>`,
      when,
    });
  });
  const buttons = games.slice(0, 5).map(
    (g, i): APIButtonComponent => ({
      type: ComponentType.Button,
      style: ButtonStyle.Danger,
      label: truncate(t('live.games.cancelButton', { number: i + 1, quiz: g.quizName }), 80),
      custom_id: encodeCustomId(LIVE_GAME_HANDLER, 'cancel', g.id),
    }),
  );
  void now;
  return message(
    [{ title: t('live.games.title'), description: truncate(lines.join('\n'), 4096), color: BLUE }],
    buttons.length > 0 ? [row(...buttons)] : [],
  );
}

export function renderHosted(game: LiveGameState, t: Translate): string {
  const values = { quiz: quoted(game.quizName, t), channel: `<#${game.channelId}>` };
  return game.status === 'scheduled' && game.startsAt !== null
    ? t('live.host.scheduled', {
        ...values,
        date: discordTime(game.startsAt, 'f'),
        relative: discordTime(game.startsAt, 'R'),
      })
    : t('live.host.lobbyUp', values);
}

/** The permissions' names as the member's Discord client shows them, in bold when asked. */
function permissionNames(permissions: readonly LivePermission[], t: Translate, bold: boolean): string {
  return permissions
    .map((p) => t(`live.permissions.${p}`))
    .map((name) => (bold ? `**${name}**` : name))
    .join(', ');
}

export function renderHostError(error: HostError, t: Translate): string {
  switch (error.kind) {
    case 'noQuestions':
      return t('live.hostError.noQuestions', { quiz: quoted(error.quizName, t) });
    case 'channelBusy':
      return t('live.hostError.channelBusy');
    case 'guildCap':
      return t('live.hostError.guildCap', { count: error.cap });
    case 'channelGone':
      return error.reason === 'channel_deleted'
        ? t('live.hostError.channelDeleted')
        : t('live.hostError.noAccess', { permissions: permissionNames(LIVE_PERMISSIONS, t, false) });
  }
}

export function renderMissingPermissions(
  channelId: string,
  missing: readonly LivePermission[],
  t: Translate,
): string {
  return t('live.missingPermissions', {
    channel: `<#${channelId}>`,
    permissions: permissionNames(missing, t, true),
    count: missing.length,
  });
}

function startProblem(error: StartTimeError, t: Translate): string {
  switch (error.kind) {
    case 'empty':
      return t('live.badStart.empty');
    case 'past':
      return t('live.badStart.past');
    case 'tooFarAhead':
      return t('live.badStart.tooFarAhead', { maxDays: error.maxDays });
    case 'notARealDate':
    case 'noTimeZone':
    case 'unreadable':
      return t(`live.badStart.${error.kind}`, { value: error.value });
  }
}

export function renderBadStart(error: StartTimeError, t: Translate): string {
  return t('live.badStart.message', { problem: startProblem(error, t), maxDays: MAX_START_AHEAD_DAYS });
}

export function renderAnswerAck(result: LiveAnswerResult, t: Translate): string {
  if (result.ok) return t('live.answer.lockedIn', { letter: letter(result.optionIndex) });
  if (result.reason === 'already') return t('live.answer.already', { letter: letter(result.optionIndex) });
  return t('live.answer.closed');
}
