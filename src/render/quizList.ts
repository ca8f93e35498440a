import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_LIST_HANDLER } from '../components/handlerNames.js';
import type { Translate } from '../i18n/index.js';
import type { QuizPage } from '../quiz/ports.js';
import { pageButtons } from './pageButtons.js';
import { questionCountText, quizSettingsSummary } from './quizSummary.js';
import { escapeMarkdown, truncate } from './quizText.js';

export const QUIZ_LIST_PAGE_SIZE = 10;

const BLUE = 0x3498db;

export interface QuizListView {
  /** 0-based. */
  page: number;
  result: QuizPage;
  pageSize?: number;
}

function quizListPageCount(total: number, pageSize = QUIZ_LIST_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** `/quiz list`: one page of the guild's quizzes with question counts and creators (mentions stay silent). */
export function renderQuizList(
  view: QuizListView,
  t: Translate,
): {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  const pageSize = view.pageSize ?? QUIZ_LIST_PAGE_SIZE;
  const pages = quizListPageCount(view.result.total, pageSize);
  const page = Math.min(Math.max(0, view.page), pages - 1);
  const embed: APIEmbed = {
    title: t('authoring.list.title'),
    color: BLUE,
    description: t(view.result.total === 0 ? 'authoring.list.empty' : 'authoring.list.start'),
    fields: view.result.items.map((quiz) => {
      const lines = [];
      if (quiz.description) lines.push(escapeMarkdown(truncate(quiz.description, 300)));
      const questions = questionCountText(quiz.questionCount, t);
      // An empty creator id: its creator had their data erased (`/mydata delete`).
      lines.push(
        quiz.creatorId === ''
          ? questions
          : t('authoring.list.byCreator', { questions, creator: quiz.creatorId }),
      );
      lines.push(quizSettingsSummary(quiz, t));
      return {
        name: truncate(`#${quiz.id} · ${escapeMarkdown(quiz.name)}`, 256),
        value: truncate(lines.join('\n'), 1024),
      };
    }),
    footer: {
      text: t('authoring.list.footer', { page: page + 1, pages, count: view.result.total }),
    },
  };
  return {
    embeds: [embed],
    components: pageButtons(page, pages, (target) => encodeCustomId(QUIZ_LIST_HANDLER, 'page', target), t),
  };
}
