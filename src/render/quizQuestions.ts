import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  APIEmbedField,
} from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_QUESTIONS_HANDLER } from '../components/handlerNames.js';
import type { Translate } from '../i18n/index.js';
import { OPTION_LETTERS } from '../quiz/limits.js';
import type { Question, Quiz } from '../quiz/types.js';
import { pageButtons } from './pageButtons.js';
import { questionCountText, quizSettingsSummary } from './quizSummary.js';
import { escapeMarkdown, truncate } from './quizText.js';

const GOLD = 0xf1c40f;
/** Discord: 6000 characters per embed, 25 fields; we keep room for title, description and footer. */
const PAGE_CHAR_BUDGET = 4500;
const PAGE_MAX_FIELDS = 10;

function questionField(question: Question, index: number, t: Translate): APIEmbedField {
  const options = question.options.map((option, i) => {
    const letter = OPTION_LETTERS[i] ?? String(i + 1);
    const text = escapeMarkdown(option);
    return i === question.correctIndex ? `✅ **${letter}. ${text}**` : `▫️ ${letter}. ${text}`;
  });
  const explanation = question.explanation
    ? `\n💡 ${escapeMarkdown(truncate(question.explanation, 150))}`
    : '';
  const tail = `\n${options.join('\n')}${explanation}`;
  // The options and explanation always show; the question text gets what is left of 1024.
  const text = escapeMarkdown(truncate(question.text, Math.max(50, 1024 - tail.length - 10)));
  return {
    name: t('authoring.questions.field', {
      number: index + 1,
      points: t('authoring.points', { count: question.points }),
    }),
    value: truncate(`${text}${tail}`, 1024),
  };
}

/** Splits the questions into pages that fit an embed: [start, end) index pairs. */
function questionPages(questions: readonly Question[], t: Translate): [number, number][] {
  const pages: [number, number][] = [];
  let start = 0;
  let size = 0;
  questions.forEach((question, i) => {
    const field = questionField(question, i, t);
    const length = field.name.length + field.value.length;
    if (i > start && (size + length > PAGE_CHAR_BUDGET || i - start >= PAGE_MAX_FIELDS)) {
      pages.push([start, i]);
      start = i;
      size = 0;
    }
    size += length;
  });
  pages.push([start, questions.length]);
  return pages;
}

/** `/quiz questions`: one page of a quiz's questions WITH the answers (managers, ephemeral only). */
export function renderQuizQuestions(
  view: { quiz: Quiz; questions: readonly Question[]; page: number },
  t: Translate,
): {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  const pages = questionPages(view.questions, t);
  const page = Math.min(Math.max(0, view.page), pages.length - 1);
  const [start, end] = pages[page] ?? [0, 0];
  const embed: APIEmbed = {
    title: truncate(t('authoring.questions.title', { quiz: view.quiz.name }), 256),
    color: GOLD,
    description: [
      t('authoring.questions.summary', {
        questions: questionCountText(view.questions.length, t),
        summary: quizSettingsSummary(view.quiz, t),
      }),
      t(view.questions.length === 0 ? 'authoring.questions.empty' : 'authoring.questions.answersShown'),
    ].join('\n'),
    fields: view.questions.slice(start, end).map((q, i) => questionField(q, start + i, t)),
    footer: { text: t('authoring.page', { page: page + 1, pages: pages.length }) },
  };
  return {
    embeds: [embed],
    components: pageButtons(
      page,
      pages.length,
      (target) => encodeCustomId(QUIZ_QUESTIONS_HANDLER, 'page', view.quiz.id, target),
      t,
    ),
  };
}
