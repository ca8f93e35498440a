import { translatorFor } from '../i18n/index.js';
import { type AuthoringError, SETTINGS_PERMISSION } from '../quiz/QuizService.js';
import type { QuizFileError } from '../quiz/quizFile.js';
import { bulletList, codeBlock, escapeMarkdown, formatBytes, quoted, truncate } from './quizText.js';
import { renderUserError } from './userErrors.js';

function fileName(name: string): string {
  return `\`${truncate(name.replaceAll('`', "'"), 80)}\``;
}

function fileErrorLine(error: QuizFileError): string {
  if (error.kind === 'syntaxError') return `line ${error.line}, column ${error.column}: ${error.message}`;
  if (error.kind === 'invalidQuiz' && error.line !== null) {
    return `line ${error.line}, column ${error.column ?? 1}: ${error.message}`;
  }
  return error.message;
}

/** Problems in a code block, as a compiler prints them (no Markdown surprises), within 2000 characters. */
function fileErrorList(heading: string, lines: readonly string[], maxLength = 2000): string {
  const shown: string[] = [];
  for (const line of lines) {
    const candidate = [...shown, truncate(line, 400)];
    const rest = lines.length - candidate.length;
    const more = rest > 0 ? `\n…and ${rest} more.` : '';
    if (`${heading}\n${codeBlock(candidate)}${more}`.length > maxLength) break;
    shown.push(truncate(line, 400));
  }
  const rest = lines.length - shown.length;
  return `${heading}\n${codeBlock(shown)}${rest > 0 ? `\n…and ${rest} more.` : ''}`;
}

/** The ephemeral text for an expected authoring failure: what went wrong and how to fix it. */
export function renderAuthoringError(error: AuthoringError): string {
  switch (error.kind) {
    case 'missingPermission':
      return error.needed === SETTINGS_PERMISSION
        ? "Only members with the **Manage Server** permission can view or change Badgey's settings for this server."
        : "Only quiz managers can do that: you need the **Manage Server** permission or one of this server's manager roles (see `/settings view`).";
    case 'quizNotFound':
      return /^\d+$/.test(error.ref)
        ? `There is no quiz #${error.ref} in this server. Pick one from the list as you type, or see \`/quiz list\`.`
        : `There is no quiz called ${quoted(error.ref)} in this server. Pick one from the list as you type, or see \`/quiz list\`.`;
    case 'questionNotFound':
      if (error.number === null) {
        return `That question is no longer part of ${quoted(error.quizName)} — it may have been deleted. See \`/quiz questions\` for the current list.`;
      }
      return error.questionCount === 0
        ? `${quoted(error.quizName)} has no questions yet. Add one with \`/quiz add-question\`.`
        : `${quoted(error.quizName)} has no question ${error.number}: its questions are numbered 1 to ${error.questionCount}.`;
    case 'quizNameTaken':
      return `A quiz called ${quoted(error.name)} already exists in this server. Quiz names must differ (ignoring case): pick another name.`;
    case 'quizExists':
      return `A quiz called ${quoted(error.name)} already exists in this server, so nothing was imported. To overwrite it with this file, run \`/quiz import\` again with \`replace: True\` (its scores are kept).`;
    case 'tooManyQuestions':
      return `${quoted(error.quizName)} already has the maximum of ${error.max} questions. Remove one first with \`/quiz remove-question\`.`;
    case 'everyoneCannotManage':
      return '@everyone cannot be a manager role: every member could then edit, delete and see the answers of every quiz. Pick a role only quiz managers have.';
    case 'tooManyManagerRoles':
      return `This server already has ${error.max} manager roles, the most Badgey keeps. Remove one first with \`/settings manager-role remove\`.`;
    case 'invalidQuestion':
      return bulletList(
        'The question was not saved:',
        error.errors.map((e) => escapeMarkdown(e.message)),
      );
    case 'invalidQuizSettings':
      return bulletList(
        'The quiz was not saved:',
        error.errors.map((e) => escapeMarkdown(e.message)),
      );
    case 'invalidFile':
      return fileErrorList(
        `${fileName(error.fileName)} was not imported (nothing was changed):`,
        error.errors.map(fileErrorLine),
      );
    case 'fileTooLarge':
      return error.actualBytes === null
        ? `${fileName(error.fileName)} is larger than the import limit of ${formatBytes(error.maxBytes)}, so nothing was imported. Split it into smaller quizzes.`
        : `${fileName(error.fileName)} is ${formatBytes(error.actualBytes)}; the import limit is ${formatBytes(error.maxBytes)}, so nothing was imported. Split it into smaller quizzes.`;
    case 'downloadFailed':
      return `I couldn't download ${fileName(error.fileName)} (${escapeMarkdown(error.reason)}), so nothing was imported. Please upload it again.`;
    case 'notText':
      return `${fileName(error.fileName)} is not a UTF-8 text file, so nothing was imported. Upload a quiz as YAML or JSON text (\`/quiz export\` shows the format).`;
    case 'databaseUnavailable':
      return renderUserError(error, translatorFor(null));
  }
}
