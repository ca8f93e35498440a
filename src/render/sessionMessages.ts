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
import { formatDecimal, type MessageKey, type Translate } from '../i18n/index.js';
import type { AvailabilityError } from '../quiz/availability.js';
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

/** "1 min 5 s" / "42.3 s" (the decimal in the locale's form: "42,3 s"). */
export function formatDuration(seconds: number, t: Translate): string {
  if (seconds < 60) {
    return t('session.duration.seconds', {
      seconds: formatDecimal(Math.round(seconds * 10) / 10, 1, t.locale),
    });
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  return t('session.duration.minutes', { minutes, seconds: rest });
}

export function renderQuestion(view: QuestionView, t: Translate): SessionMessage {
  const { question } = view;
  const options = question.options.map((option, i) => `**${letter(i)}.** ${escapeMarkdown(option)}`);
  const deadline = t('session.question.deadline', { time: discordTime(view.deadlineMs, 'R') });
  return {
    content: '',
    embeds: [
      {
        title: truncate(
          t('session.question.title', { number: view.questionNumber, total: view.questionCount }),
          256,
        ),
        description: truncate(
          `${escapeMarkdown(question.text)}\n\n${options.join('\n')}\n\n${deadline}`,
          4096,
        ),
        color: BLUE,
        footer: {
          text: truncate(
            t('session.question.footer', { quiz: view.quizName, count: question.points, score: view.score }),
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

export function renderFeedback(view: FeedbackView, t: Translate): SessionMessage {
  const { outcome, question } = view;
  const correctText = `**${letter(outcome.correctIndex)}.** ${escapeMarkdown(outcome.correctOption)}`;
  const heading =
    outcome.outcome === 'correct'
      ? { title: t('session.feedback.correct'), color: GREEN }
      : outcome.outcome === 'incorrect'
        ? { title: t('session.feedback.incorrect'), color: RED }
        : { title: t('session.feedback.timedOut'), color: ORANGE };
  const fields: APIEmbedField[] = [
    {
      name: t('session.feedback.pointsField'),
      value: t('session.feedback.earned', { earned: outcome.pointsAwarded, count: outcome.maxPoints }),
      inline: true,
    },
    { name: t('session.feedback.scoreField'), value: String(outcome.score), inline: true },
  ];
  if (outcome.outcome !== 'correct') {
    fields.push({ name: t('session.feedback.correctAnswerField'), value: truncate(correctText, 1024) });
    if (outcome.explanation) {
      fields.push({
        name: t('session.feedback.explanationField'),
        value: truncate(escapeMarkdown(outcome.explanation), 1024),
      });
    }
  }
  // (Not "results": load tests read that word as the summary having arrived.)
  const nextText = t(
    outcome.isLastQuestion ? 'session.feedback.summaryNext' : 'session.feedback.nextQuestion',
    {
      time: discordTime(view.nextAtMs, 'R'),
    },
  );
  return {
    content: '',
    embeds: [
      {
        title: t('session.feedback.title', {
          heading: heading.title,
          number: view.questionNumber,
          total: view.questionCount,
        }),
        description: truncate(`${escapeMarkdown(question.text)}\n\n${nextText}`, 4096),
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
        label: t(outcome.isLastQuestion ? 'session.feedback.resultsButton' : 'session.feedback.nextButton'),
      }),
    ],
  };
}

function summaryFields(summary: SummaryView['summary'], t: Translate): APIEmbedField[] {
  return [
    {
      name: t('session.summary.scoreField'),
      value: t('session.summary.score', { score: summary.score, count: summary.maxScore }),
      inline: true,
    },
    {
      name: t('session.summary.correctField'),
      value: t('session.summary.correct', { correct: summary.correctCount, total: summary.questionCount }),
      inline: true,
    },
    { name: t('session.summary.timeField'), value: formatDuration(summary.durationSeconds, t), inline: true },
  ];
}

function postLine(post: SummaryView['post'], t: Translate): string {
  switch (post.status) {
    case 'pending':
      return post.channelId === null
        ? t('session.summary.postPendingHere')
        : t('session.summary.postPending', { channel: `<#${post.channelId}>` });
    case 'posted':
      return t('session.summary.posted', { channel: `<#${post.channelId}>` });
    case 'forbidden':
      return t('session.summary.postForbidden', { channel: `<#${post.channelId}>` });
    case 'failed':
      return t('session.summary.postFailed');
  }
}

export function renderSummary(view: SummaryView, t: Translate): SessionMessage {
  const best =
    view.bestScore === null
      ? t('session.summary.notSaved')
      : view.isNewBest
        ? t('session.summary.newBest')
        : t('session.summary.bestStill', { best: view.bestScore });
  return {
    content: '',
    embeds: [
      {
        title: truncate(t('session.summary.title', { quiz: view.quizName }), 256),
        description: `${best}\n${postLine(view.post, t)}`,
        color: GOLD,
        fields: summaryFields(view.summary, t),
      },
    ],
    components: [],
  };
}

/**
 * The public post in the results channel (sent with mentions off: the mention only renders the
 * name), in the server's language.
 */
export function renderResultsPost(
  post: {
    userId: string;
    quizName: string;
    summary: SummaryView['summary'];
  },
  t: Translate,
): { content: string; embeds: APIEmbed[]; allowed_mentions: { parse: [] } } {
  return {
    content: '',
    embeds: [
      {
        title: t('session.resultsPost.title'),
        description: truncate(
          t('session.resultsPost.description', {
            member: `<@${post.userId}>`,
            quiz: quoted(post.quizName, t),
          }),
          4096,
        ),
        color: GOLD,
        fields: summaryFields(post.summary, t),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

const ENDED_TEXT = {
  shutdown: {
    title: 'session.ended.shutdown.title',
    text: 'session.ended.shutdown.text',
    saved: 'session.ended.shutdown.saved',
  },
  idle: {
    title: 'session.ended.idle.title',
    text: 'session.ended.idle.text',
    saved: 'session.ended.idle.saved',
  },
  tokenAge: {
    title: 'session.ended.tokenAge.title',
    text: 'session.ended.tokenAge.text',
    saved: 'session.ended.tokenAge.saved',
  },
  // A deleted quiz takes its attempts with it: nothing to continue.
  quizDeleted: {
    title: 'session.ended.quizDeleted.title',
    text: 'session.ended.quizDeleted.text',
    saved: null,
  },
} as const satisfies Record<
  EndedView['reason'],
  { title: MessageKey; text: MessageKey; saved: MessageKey | null }
>;

export function renderEnded(view: EndedView, t: Translate): SessionMessage {
  const keys = ENDED_TEXT[view.reason];
  // "Your progress was saved" only when it was.
  const body =
    keys.saved === null ? t(keys.text) : view.saved ? `${t(keys.text)} ${t(keys.saved)}` : t(keys.text);
  const unsaved = keys.saved !== null && !view.saved ? `\n${t('session.ended.notSaved')}` : '';
  return {
    content: '',
    embeds: [
      {
        title: truncate(t('session.ended.title', { heading: t(keys.title), quiz: view.quizName }), 256),
        description: `${body}${unsaved}`,
        color: view.reason === 'shutdown' ? ORANGE : GREY,
        fields: [
          {
            name: t('session.ended.scoreField'),
            value: t('session.summary.score', { score: view.summary.score, count: view.summary.maxScore }),
            inline: true,
          },
          {
            name: t('session.ended.answeredField'),
            value: t('session.ended.answered', {
              answered: view.summary.answeredCount,
              total: view.summary.questionCount,
            }),
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
              label: t('session.ended.continueButton'),
            }),
          ]
        : [],
  };
}

/** An interrupted attempt offered back (a click on its old message, or `/quiz take` on its quiz). */
export function renderResumeOffer(view: ResumeOfferView, t: Translate): SessionMessage {
  const at = { number: view.questionNumber, total: view.questionCount };
  const where = view.canContinue ? t('session.resume.canContinue', at) : t('session.resume.cannotContinue');
  return {
    content: '',
    embeds: [
      {
        title: truncate(t('session.resume.title', { quiz: view.quizName }), 256),
        description: t('session.resume.description', { where }),
        color: ORANGE,
        fields: [
          { name: t('session.resume.questionField'), value: t('session.resume.question', at), inline: true },
          { name: t('session.resume.scoreField'), value: String(view.score), inline: true },
        ],
      },
    ],
    components: [
      row(
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'continue', view.sessionId),
          label: t('session.resume.continueButton', { ...at, score: view.score }),
          disabled: !view.canContinue,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'restart', view.sessionId),
          label: t('session.resume.startOverButton'),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'giveup', view.sessionId),
          label: t('session.resume.giveUpButton'),
        },
      ),
    ],
  };
}

export function renderGaveUp(view: GaveUpView, t: Translate): SessionMessage {
  const values = { answered: view.answeredCount, count: view.questionCount, score: view.score };
  return {
    content: view.quizName
      ? t('session.gaveUp.named', { ...values, quiz: quoted(view.quizName, t) })
      : t('session.gaveUp.unnamed', values),
    embeds: [],
    components: [],
  };
}

export function renderResumed(view: { quizName: string }, t: Translate): SessionMessage {
  return {
    content: t('session.resumed', { quiz: quoted(view.quizName, t) }),
    embeds: [],
    components: [],
  };
}

export function renderQueued(view: { quizName: string; position: number }, t: Translate): SessionMessage {
  const quiz = view.quizName ? quoted(view.quizName, t) : null;
  const content =
    view.position === 1
      ? quiz === null
        ? t('session.queue.next')
        : t('session.queue.nextNamed', { quiz })
      : quiz === null
        ? t('session.queue.position', { position: view.position })
        : t('session.queue.positionNamed', { position: view.position, quiz });
  return {
    content,
    embeds: [],
    components: [
      row({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: encodeCustomId(QUIZ_PLAY_HANDLER, 'leave'),
        label: t('session.queue.leaveButton'),
      }),
    ],
  };
}

export function renderQueueLeft(view: { reason: QueueLeftReason }, t: Translate): SessionMessage {
  return { content: t(`session.queue.left.${view.reason}`), embeds: [], components: [] };
}

/** The answer to a click on Leave the queue when the member was no longer queued. */
export function renderNotQueued(t: Translate): string {
  return t('session.queue.notWaiting');
}

/** A click that cannot count (answered ephemerally; nothing changed). */
export function renderAnswerRejection(
  rejection: ClickRejection | { kind: 'nothingToResume' } | { kind: 'databaseUnavailable' },
  t: Translate,
): string {
  switch (rejection.kind) {
    case 'notYourSession':
      return t('session.rejection.notYourSession');
    case 'sessionNotFound':
    case 'sessionOver':
    case 'nothingToResume':
      return t('session.rejection.sessionOver');
    case 'databaseUnavailable':
      return t('session.rejection.databaseUnavailable');
    case 'staleQuestion':
      return t('session.rejection.staleQuestion');
    case 'alreadyAnswered':
      return t('session.rejection.alreadyAnswered');
    case 'alreadyAdvanced':
    case 'ignored':
      return t('session.rejection.alreadyAdvanced');
    case 'questionNotDelivered':
    case 'invalidOption':
      return t('session.rejection.wrongQuestion');
  }
}

export function renderTakeError(error: TakeError, t: Translate): string {
  switch (error.kind) {
    case 'quizNotFound':
      return t('session.takeError.quizNotFound', { quiz: quoted(error.ref, t) });
    case 'notYetOpen':
    case 'closed':
      return renderAvailabilityError(error, t);
    case 'alreadyTaken':
      return t('session.takeError.alreadyTaken', { quiz: quoted(error.quizName, t) });
    case 'noQuestions':
      return t('session.takeError.noQuestions', { quiz: quoted(error.quizName, t) });
    case 'alreadyRunning':
      return t('session.takeError.alreadyRunning');
    case 'alreadyQueued':
      return t('session.takeError.alreadyQueued', { position: error.position });
    case 'shuttingDown':
      return t('session.takeError.shuttingDown');
    case 'databaseUnavailable':
      return renderUserError(error, t);
  }
}

/** Why a quiz cannot be started now (`quiz/availability.ts`): "This quiz opens <t:…:R>. Come back then!" */
export function renderAvailabilityError(error: AvailabilityError, t: Translate): string {
  return error.kind === 'notYetOpen'
    ? t('session.takeError.notYetOpen', { time: discordTime(error.opensAt, 'R') })
    : t('session.takeError.closed', { time: discordTime(error.closesAt, 'R') });
}
