import { randomBytes } from 'node:crypto';
import type {
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import type { Clock } from '../../clock.js';
import type { ParsedCustomId } from '../../components/customId.js';
import { QUESTION_MODAL_HANDLER } from '../../components/handlerNames.js';
import type { QuizService } from '../../quiz/QuizService.js';
import type { QuestionModalInput } from '../../quiz/quizFile.js';
import { questionToModalInput } from '../../quiz/quizFile.js';
import { renderAuthoringError } from '../../render/quizAuthoringError.js';
import {
  renderDraftExpired,
  renderNotYourButton,
  renderQuestionAdded,
  renderQuestionEdited,
  renderQuestionRetryButton,
} from '../../render/quizAuthoringReplies.js';
import {
  type QUESTION_MODAL_FIELDS,
  type QuestionModalTarget,
  renderQuestionModal,
} from '../../render/quizQuestionModal.js';
import type { CommandResult, ComponentHandler, ModalHandler } from '../Command.js';
import { memberTranslator } from '../locale.js';
import { replyError, respond } from '../replies.js';
import { replyAuthoringError, withActor } from './authoringReplies.js';

/** A refused modal submit, kept so "Fix it" reopens the modal with what the member typed. */
interface QuestionDraft {
  userId: string;
  target: QuestionModalTarget;
  values: QuestionModalInput;
  expiresAtMs: number;
}

/** Interaction tokens live 15 minutes; a draft is useless after that. */
const DRAFT_TTL_MS = 15 * 60_000;
const MAX_DRAFTS = 500;
/**
 * Drafts kept per member: a member's next refusal drops their own oldest draft, so one manager
 * submitting refused forms in a loop cannot evict everyone else's drafts from the shared bound.
 */
const MAX_DRAFTS_PER_MEMBER = 5;
/**
 * Bytes of typed text kept for all drafts together. A modal holds up to ~20 KB, so a count alone
 * let 500 drafts hold 10 MB+ (1,200 refused 20 KB submissions raised RSS by 80 MB); 2 MiB is a
 * hundred full-size forms, or thousands of ordinary ones. Oldest drafts go first.
 */
export const MAX_DRAFT_BYTES = 2 * 1024 * 1024;

/** What a draft's text costs (UTF-8 bytes of every field; V8 may store it wider, never narrower than ASCII). */
function draftBytes(values: QuestionModalInput): number {
  let bytes = 0;
  for (const value of Object.values(values)) bytes += Buffer.byteLength(value, 'utf8');
  return bytes;
}

/** In-memory, bounded, per-process drafts (lost on restart: the button then asks to start again). */
export class QuestionDrafts {
  readonly #drafts = new Map<string, QuestionDraft & { bytes: number }>();
  #bytes = 0;
  constructor(private readonly clock: Clock) {}

  save(draft: Omit<QuestionDraft, 'expiresAtMs'>): string {
    const now = this.clock.now();
    for (const [id, old] of this.#drafts) if (old.expiresAtMs <= now) this.delete(id);
    const own = [...this.#drafts].filter(([, old]) => old.userId === draft.userId).map(([id]) => id);
    for (const id of own.slice(0, Math.max(0, own.length - MAX_DRAFTS_PER_MEMBER + 1))) this.delete(id);
    const bytes = draftBytes(draft.values);
    while (
      this.#drafts.size >= MAX_DRAFTS ||
      (this.#drafts.size > 0 && this.#bytes + bytes > MAX_DRAFT_BYTES)
    ) {
      const oldest = this.#drafts.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    const id = randomBytes(9).toString('base64url');
    this.#drafts.set(id, { ...draft, expiresAtMs: now + DRAFT_TTL_MS, bytes });
    this.#bytes += bytes;
    return id;
  }

  /** Bytes of text the kept drafts hold (at most MAX_DRAFT_BYTES, or one draft if that is larger). */
  get bytes(): number {
    return this.#bytes;
  }

  get(id: string): QuestionDraft | undefined {
    const draft = this.#drafts.get(id);
    if (!draft || draft.expiresAtMs <= this.clock.now()) return undefined;
    return draft;
  }

  delete(id: string): void {
    const draft = this.#drafts.get(id);
    if (draft === undefined) return;
    this.#drafts.delete(id);
    this.#bytes -= draft.bytes;
  }
}

function readModal(interaction: ModalSubmitInteraction): QuestionModalInput {
  const value = (id: (typeof QUESTION_MODAL_FIELDS)[number]): string => {
    const field = interaction.fields.fields.get(id);
    return field && 'value' in field && typeof field.value === 'string' ? field.value : '';
  };
  return {
    question: value('question'),
    options: value('options'),
    correct: value('correct'),
    points: value('points'),
    explanation: value('explanation'),
  };
}

export interface QuestionModalDeps {
  service: QuizService;
  clock: Clock;
}

/** `/quiz add-question`, `/quiz edit-question` and the question modal they open. */
export function questionModalHandlers({ service, clock }: QuestionModalDeps) {
  const drafts = new QuestionDrafts(clock);

  // Modals must be the FIRST response (no defer): the checks before them are single, fast reads.
  const addQuestion = (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const result = await service.prepareAddQuestion(actor, interaction.options.getString('quiz', true));
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      const { quiz, questionCount } = result.value;
      await interaction.showModal(
        renderQuestionModal(
          { mode: 'add', quizId: quiz.id, quizName: quiz.name, number: questionCount + 1 },
          undefined,
          memberTranslator(interaction),
        ),
      );
      return undefined;
    });

  const editQuestion = (interaction: ChatInputCommandInteraction): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const result = await service.prepareEditQuestion(
        actor,
        interaction.options.getString('quiz', true),
        interaction.options.getInteger('number', true),
      );
      if (!result.ok) return replyAuthoringError(interaction, result.error);
      const { quiz, question } = result.value;
      await interaction.showModal(
        renderQuestionModal(
          {
            mode: 'edit',
            quizId: quiz.id,
            questionId: question.id,
            quizName: quiz.name,
            number: question.position + 1,
          },
          questionToModalInput(question),
          memberTranslator(interaction),
        ),
      );
      return undefined;
    });

  const submit: ModalHandler = (
    interaction: ModalSubmitInteraction,
    customId: ParsedCustomId,
  ): Promise<CommandResult> =>
    withActor(interaction, async (actor) => {
      const quizId = Number(customId.args[0]);
      const questionId = Number(customId.args[1]);
      const editing = customId.action === 'edit';
      if (
        !Number.isSafeInteger(quizId) ||
        (editing && !Number.isSafeInteger(questionId)) ||
        (!editing && customId.action !== 'add')
      ) {
        return replyError(interaction, { kind: 'staleComponent' });
      }
      const values = readModal(interaction);
      const t = memberTranslator(interaction);
      const result = editing
        ? await service.editQuestion(actor, quizId, questionId, values)
        : await service.addQuestion(actor, quizId, values);
      if (result.ok) {
        const { quiz, question } = result.value;
        const content = editing
          ? renderQuestionEdited(quiz, question, t)
          : renderQuestionAdded(quiz, question, t);
        await respond(interaction, { content, ephemeral: true });
        return undefined;
      }
      if (result.error.kind !== 'invalidQuestion') return replyAuthoringError(interaction, result.error);
      // Keep what was typed: "Fix it" reopens the modal with it instead of an empty form.
      // The quiz name and number are looked up again when the draft is reopened.
      const target: QuestionModalTarget = editing
        ? { mode: 'edit', quizId, questionId, quizName: '', number: null }
        : { mode: 'add', quizId, quizName: '', number: null };
      const draftId = drafts.save({ userId: actor.userId, target, values });
      await respond(interaction, {
        content: renderAuthoringError(result.error, t),
        components: renderQuestionRetryButton(draftId, t),
        ephemeral: true,
      });
      return 'rejected';
    });

  const retry: ComponentHandler = async (
    interaction: MessageComponentInteraction,
    customId: ParsedCustomId,
  ): Promise<CommandResult> => {
    if (customId.action !== 'retry') return replyError(interaction, { kind: 'staleComponent' });
    const t = memberTranslator(interaction);
    const draft = drafts.get(customId.args[0] ?? '');
    if (!draft) {
      await respond(interaction, { content: renderDraftExpired(t), ephemeral: true });
      return 'rejected';
    }
    if (draft.userId !== interaction.user.id) {
      await respond(interaction, { content: renderNotYourButton(draft.userId, t), ephemeral: true });
      return 'rejected';
    }
    return withActor(interaction, async (actor) => {
      const quiz = await service.resolveQuiz(actor.guildId, String(draft.target.quizId));
      if (!quiz.ok) return replyAuthoringError(interaction, quiz.error);
      await interaction.showModal(
        renderQuestionModal({ ...draft.target, quizName: quiz.value.name }, draft.values, t),
      );
      return undefined;
    });
  };

  return {
    addQuestion,
    editQuestion,
    modals: { [QUESTION_MODAL_HANDLER]: submit },
    components: { [QUESTION_MODAL_HANDLER]: retry },
  };
}
