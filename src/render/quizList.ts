import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';
import { encodeCustomId } from '../components/customId.js';
import { QUIZ_LIST_HANDLER } from '../components/handlerNames.js';
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
export function renderQuizList(view: QuizListView): {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
} {
  const pageSize = view.pageSize ?? QUIZ_LIST_PAGE_SIZE;
  const pages = quizListPageCount(view.result.total, pageSize);
  const page = Math.min(Math.max(0, view.page), pages - 1);
  const embed: APIEmbed = {
    title: 'Quizzes in this server',
    color: BLUE,
    description:
      view.result.total === 0
        ? 'No quizzes yet. Managers can create one with `/quiz create` or `/quiz import`.'
        : 'Start one with `/quiz take`.',
    fields: view.result.items.map((quiz) => {
      const lines = [];
      if (quiz.description) lines.push(escapeMarkdown(truncate(quiz.description, 300)));
      // An empty creator id: its creator had their data erased (`/mydata delete`).
      const by = quiz.creatorId === '' ? '' : ` · by <@${quiz.creatorId}>`;
      lines.push(`${questionCountText(quiz.questionCount)}${by}`);
      lines.push(quizSettingsSummary(quiz));
      return {
        name: truncate(`#${quiz.id} · ${escapeMarkdown(quiz.name)}`, 256),
        value: truncate(lines.join('\n'), 1024),
      };
    }),
    footer: {
      text: `Page ${page + 1} of ${pages} · ${view.result.total} quiz${view.result.total === 1 ? '' : 'zes'}`,
    },
  };
  return {
    embeds: [embed],
    components: pageButtons(page, pages, (target) => encodeCustomId(QUIZ_LIST_HANDLER, 'page', target)),
  };
}
