/**
 * The messages of a member taking a quiz: question, feedback, personal summary, early end, queue,
 * and the polite answers to clicks that cannot count. Pure: domain views in, Discord payloads out.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_PLAY_HANDLER } from '../components/handlerNames.js';
import { translatorFor } from '../i18n/index.js';
import { OPTION_LETTERS } from '../quiz/limits.js';
import type {
  EndedView,
  FeedbackView,
  GaveUpView,
  QuestionView,
  QueueLeftReason,
  ResumeOfferView,
  SummaryView,
} from '../quiz/session/presenter.js';
import type { ClickRejection } from '../quiz/session/SoloRunner.js';
import type { TakeError } from '../quiz/session/TakeService.js';
import { discordTime, escapeMarkdown, quoted, truncate } from './quizText.js';
import { renderUserError } from './userErrors.js';

export interface SessionMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const BLUE = 0x5865f2;
const GREEN = 0x3ba55c;
const RED = 0xed4245;
const ORANGE = 0xe67e22;
const GOLD = 0xf1c40f;
const GREY = 0x99aab5;

function letter(index: number): string {
  return OPTION_LETTERS[index] ?? String(index + 1);
}

function row(...buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> {
  return { type: ComponentType.ActionRow, components: buttons };
}

/** "1 min 5 s" / "42.3 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${(Math.round(seconds * 10) / 10).toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return `${minutes} min ${rest} s`;
}

export function renderQuestion(view: QuestionView): SessionMessage {
  const { question } = view;
  const options = question.options.map((option, i) => `**${letter(i)}.** ${escapeMarkdown(option)}`);
  return {
    content: '',
    embeds: [
      {
        title: truncate(`Question ${view.questionNumber}/${view.questionCount}`, 256),
        description: truncate(
          `${escapeMarkdown(question.text)}\n\n${options.join('\n')}\n\n⏳ Time's up ${discordTime(view.deadlineMs, 'R')}`,
          4096,
        ),
        color: BLUE,
        footer: {
          text: truncate(
            `${view.quizName} · up to ${question.points} points · score so far ${view.score}`,
            2048,
          ),
        },
      },
    ],
    components: [
      row(
        ...question.options.map(
          (option, i): APIButtonComponent => ({
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'answer', view.sessionId, view.questionIndex, i),
            label: truncate(`${letter(i)}. ${option}`, 80),
          }),
        ),
      ),
    ],
  };
}

export function renderFeedback(view: FeedbackView): SessionMessage {
  const { outcome, question } = view;
  const correctText = `**${letter(outcome.correctIndex)}.** ${escapeMarkdown(outcome.correctOption)}`;
  const heading =
    outcome.outcome === 'correct'
      ? { title: 'Correct! ✅', color: GREEN }
      : outcome.outcome === 'incorrect'
        ? { title: 'Incorrect ❌', color: RED }
        : { title: "Time's up! ⌛", color: ORANGE };
  const fields: APIEmbedField[] = [
    {
      name: 'Points',
      value: `You earned **${outcome.pointsAwarded}** of ${outcome.maxPoints} points.`,
      inline: true,
    },
    { name: 'Score so far', value: String(outcome.score), inline: true },
  ];
  if (outcome.outcome !== 'correct') {
    fields.push({ name: 'The correct answer', value: truncate(correctText, 1024) });
    if (outcome.explanation) {
      fields.push({ name: 'Explanation', value: truncate(escapeMarkdown(outcome.explanation), 1024) });
    }
  }
  // (Not "results": load tests read that word as the summary having arrived.)
  const nextText = outcome.isLastQuestion ? 'Your summary comes' : 'The next question comes';
  return {
    content: '',
    embeds: [
      {
        title: `${heading.title} · Question ${view.questionNumber}/${view.questionCount}`,
        description: truncate(
          `${escapeMarkdown(question.text)}\n\n${nextText} ${discordTime(view.nextAtMs, 'R')}.`,
          4096,
        ),
        color: heading.color,
        fields,
        footer: { text: truncate(view.quizName, 2048) },
      },
    ],
    components: [
      row({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        // `last`: storing and posting come before the summary (the click is acknowledged first).
        custom_id: encodeCustomId(
          QUIZ_PLAY_HANDLER,
          'next',
          view.sessionId,
          outcome.questionIndex,
          ...(outcome.isLastQuestion ? ['last'] : []),
        ),
        label: outcome.isLastQuestion ? 'See results' : 'Next question',
      }),
    ],
  };
}

function summaryFields(summary: SummaryView['summary']): APIEmbedField[] {
  return [
    { name: 'Score', value: `**${summary.score}** of ${summary.maxScore} points`, inline: true },
    { name: 'Correct', value: `${summary.correctCount} of ${summary.questionCount}`, inline: true },
    { name: 'Time', value: formatDuration(summary.durationSeconds), inline: true },
  ];
}

function postLine(post: SummaryView['post']): string {
  switch (post.status) {
    case 'pending':
      return post.channelId === null
        ? 'Your results are being posted in this channel.'
        : `Your results are being posted in <#${post.channelId}>.`;
    case 'posted':
      return `Your results were posted in <#${post.channelId}>.`;
    case 'forbidden':
      return `I couldn't post your results in <#${post.channelId}>: I'm not allowed to send messages there. A server manager can let me post there or choose another results channel.`;
    case 'failed':
      return "I couldn't post your results publicly this time, but your score is saved.";
  }
}

export function renderSummary(view: SummaryView): SessionMessage {
  const best =
    view.bestScore === null
      ? "⚠️ I couldn't save this score (the database did not answer)."
      : view.isNewBest
        ? `🏅 A new personal best on this quiz!`
        : `Your best on this quiz is still **${view.bestScore}**.`;
  return {
    content: '',
    embeds: [
      {
        title: truncate(`Quiz complete: ${view.quizName}`, 256),
        description: `${best}\n${postLine(view.post)}`,
        color: GOLD,
        fields: summaryFields(view.summary),
      },
    ],
    components: [],
  };
}

/** The public post in the results channel (sent with mentions off: the mention only renders the name). */
export function renderResultsPost(post: {
  userId: string;
  quizName: string;
  summary: SummaryView['summary'];
}): { content: string; embeds: APIEmbed[]; allowed_mentions: { parse: [] } } {
  return {
    content: '',
    embeds: [
      {
        title: 'Quiz completed',
        description: truncate(`<@${post.userId}> completed ${quoted(post.quizName)}.`, 4096),
        color: GOLD,
        fields: summaryFields(post.summary),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

const ENDED_TEXT: Record<EndedView['reason'], { title: string; text: string }> = {
  shutdown: {
    title: 'Badgey is restarting',
    text: "Badgey is restarting for maintenance, so this quiz pauses here. Hehehe… sorry! Your progress so far was saved: once I'm back (about a minute), click **Continue** or run `/quiz take` again to pick up at the question you were on, with a full timer.",
  },
  idle: {
    title: 'Quiz paused',
    text: 'This quiz paused because nothing happened for a while. Your progress so far was saved: click **Continue** or run `/quiz take` again to pick up where you left off.',
  },
  tokenAge: {
    title: 'Quiz paused',
    text: 'This quiz ran longer than Discord lets me update this message. Your progress so far was saved: click **Continue** or run `/quiz take` again to pick up where you left off.',
  },
  quizDeleted: {
    title: 'Quiz removed',
    text: 'A server manager deleted this quiz, so it ends here. Sorry about that!',
  },
};

export function renderEnded(view: EndedView): SessionMessage {
  const { title, text } = ENDED_TEXT[view.reason];
  // "Your progress was saved" only when it was (a deleted quiz takes its attempts with it).
  const unsaved = !view.saved && view.reason !== 'quizDeleted';
  const body = unsaved ? text.slice(0, text.indexOf(' Your progress so far was saved')) : text;
  const saved = unsaved ? "\n⚠️ I couldn't save your progress (the database did not answer)." : '';
  return {
    content: '',
    embeds: [
      {
        title: truncate(`${title}: ${view.quizName}`, 256),
        description: `${body}${saved}`,
        color: view.reason === 'shutdown' ? ORANGE : GREY,
        fields: [
          {
            name: 'Score so far',
            value: `**${view.summary.score}** of ${view.summary.maxScore} points`,
            inline: true,
          },
          {
            name: 'Answered',
            value: `${view.summary.answeredCount} of ${view.summary.questionCount}`,
            inline: true,
          },
        ],
      },
    ],
    components:
      view.saved && view.reason !== 'quizDeleted'
        ? [
            row({
              type: ComponentType.Button,
              style: ButtonStyle.Success,
              custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'continue', view.sessionId),
              label: 'Continue',
            }),
          ]
        : [],
  };
}

/** An interrupted attempt offered back (a click on its old message, or `/quiz take` on its quiz). */
export function renderResumeOffer(view: ResumeOfferView): SessionMessage {
  const where = view.canContinue
    ? `**Continue** asks question ${view.questionNumber} of ${view.questionCount} again, with a full timer; your points so far are kept.`
    : 'The quiz changed since (a question was removed), so it cannot continue: start over or give up.';
  return {
    content: '',
    embeds: [
      {
        title: truncate(`Continue ${view.quizName}?`, 256),
        description: `This quiz was interrupted (Badgey restarted, or it paused). ${where}\n**Start over** drops this attempt and begins anew; **Give up** drops it. Neither counts as taking the quiz.`,
        color: ORANGE,
        fields: [
          { name: 'Question', value: `${view.questionNumber} of ${view.questionCount}`, inline: true },
          { name: 'Score so far', value: String(view.score), inline: true },
        ],
      },
    ],
    components: [
      row(
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'continue', view.sessionId),
          label: `Continue (question ${view.questionNumber} of ${view.questionCount}, score ${view.score})`,
          disabled: !view.canContinue,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'restart', view.sessionId),
          label: 'Start over',
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'giveup', view.sessionId),
          label: 'Give up',
        },
      ),
    ],
  };
}

export function renderGaveUp(view: GaveUpView): SessionMessage {
  const quiz = view.quizName ? ` ${quoted(view.quizName)}` : ' this quiz';
  return {
    content: `You gave up${quiz} after ${view.answeredCount} of ${view.questionCount} questions (score ${view.score}). It doesn't count as taken: run \`/quiz take\` to try again.`,
    embeds: [],
    components: [],
  };
}

export function renderResumed(view: { quizName: string }): SessionMessage {
  return {
    content: `You already have ${quoted(view.quizName)} running — it continues here. The next question is on its way.`,
    embeds: [],
    components: [],
  };
}

export function renderQueued(view: { quizName: string; position: number }): SessionMessage {
  const who = view.position === 1 ? "You're next" : `You're number **${view.position}** in the queue`;
  const quiz = view.quizName ? ` for ${quoted(view.quizName)}` : '';
  return {
    content: `Lots of quizzes are running right now. ${who}${quiz}; your quiz starts here by itself when a slot frees up.`,
    embeds: [],
    components: [
      row({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'leave'),
        label: 'Leave the queue',
      }),
    ],
  };
}

const QUEUE_LEFT_TEXT: Record<QueueLeftReason, string> = {
  cancelled: 'You left the queue.',
  tokenAge:
    'You waited too long in the queue for Discord to let me start your quiz here. Please run `/quiz take` again.',
  quizDeleted: 'A server manager deleted this quiz while you were waiting.',
  shutdown: 'Badgey is restarting, so your place in the queue was dropped. Please try again in a minute.',
};

export function renderQueueLeft(view: { reason: QueueLeftReason }): SessionMessage {
  return { content: QUEUE_LEFT_TEXT[view.reason], embeds: [], components: [] };
}

/** A click that cannot count (answered ephemerally; nothing changed). */
export function renderAnswerRejection(
  rejection: ClickRejection | { kind: 'nothingToResume' } | { kind: 'databaseUnavailable' },
): string {
  switch (rejection.kind) {
    case 'notYourSession':
      return "This isn't your quiz! Start your own with `/quiz take`.";
    case 'sessionNotFound':
    case 'sessionOver':
    case 'nothingToResume':
      return 'This quiz is over. Start a new one with `/quiz take`.';
    case 'databaseUnavailable':
      return "I can't reach my database right now. Please try again in a moment.";
    case 'staleQuestion':
      return "That question is already behind you — answer the one that's showing now.";
    case 'alreadyAnswered':
      return 'You already answered this question (or its time ran out). Only the first answer counts!';
    case 'alreadyAdvanced':
    case 'ignored':
      return 'Already on it — the next question is on its way.';
    case 'questionNotDelivered':
    case 'invalidOption':
      return "That button doesn't belong to the question that's showing.";
  }
}

export function renderTakeError(error: TakeError): string {
  switch (error.kind) {
    case 'quizNotFound':
      return `I can't find a quiz called ${quoted(error.ref)} in this server. Pick one from the list as you type.`;
    case 'notYetOpen':
      return `This quiz opens ${discordTime(error.opensAt, 'R')}. Come back then!`;
    case 'closed':
      return `This quiz closed ${discordTime(error.closesAt, 'R')}.`;
    case 'alreadyTaken':
      return `You have already taken ${quoted(error.quizName)}; this server allows one attempt per quiz.`;
    case 'noQuestions':
      return `${quoted(error.quizName)} has no questions yet.`;
    case 'alreadyRunning':
      return 'You already have a quiz running. Finish it first (it ends by itself after a while without answers).';
    case 'alreadyQueued':
      return `You're already waiting in the queue (number ${error.position}).`;
    case 'shuttingDown':
      return 'Badgey is restarting right now. Please try again in a minute.';
    case 'databaseUnavailable':
      return renderUserError(error, translatorFor(null));
  }
}
