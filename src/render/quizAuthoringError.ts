import type { Translate } from '../i18n/index.js';
import type { AuthoringError, DownloadFailureReason } from '../quiz/QuizService.js';
import { fileErrorLine, renderFieldError } from './quizFileIssues.js';
import {
  bulletList,
  codeBlock,
  escapeMarkdown,
  formatBytes,
  moreLine,
  quoted,
  truncate,
} from './quizText.js';
import { renderUserError } from './userErrors.js';

function fileName(name: string): string {
  return `\`${truncate(name.replaceAll('`', "'"), 80)}\``;
}

/** Problems in a code block, as a compiler prints them (no Markdown surprises), within 2000 characters. */
function fileErrorList(heading: string, lines: readonly string[], t: Translate, maxLength = 2000): string {
  const shown: string[] = [];
  for (const line of lines) {
    const candidate = [...shown, truncate(line, 400)];
    const rest = lines.length - candidate.length;
    const more = rest > 0 ? `\n${moreLine(rest, t)}` : '';
    if (`${heading}\n${codeBlock(candidate)}${more}`.length > maxLength) break;
    shown.push(truncate(line, 400));
  }
  const rest = lines.length - shown.length;
  return `${heading}\n${codeBlock(shown)}${rest > 0 ? `\n${moreLine(rest, t)}` : ''}`;
}

/** Why a download failed, in the member's language. */
function downloadReason(reason: DownloadFailureReason, t: Translate): string {
  switch (reason.kind) {
    case 'timeout':
      return t('authoring.errors.downloadReason.timeout', { seconds: reason.seconds });
    case 'httpStatus':
      return t('authoring.errors.downloadReason.httpStatus', { status: reason.status });
    default:
      return t(`authoring.errors.downloadReason.${reason.kind}`);
  }
}

/**
 * The ephemeral text for an expected authoring failure: what went wrong and how to fix it, in the
 * language of `t`, field and file diagnostics included (`quizFileIssues.ts`).
 */
export function renderAuthoringError(error: AuthoringError, t: Translate): string {
  switch (error.kind) {
    case 'missingPermission':
      return t(`authoring.errors.missingPermission.${error.needed}`, {
        permission: t('common.permissions.manageServer'),
      });
    case 'quizNotFound':
      return /^\d+$/.test(error.ref)
        ? t('authoring.errors.quizNotFound.number', { number: error.ref })
        : t('authoring.errors.quizNotFound.name', { quiz: quoted(error.ref, t) });
    case 'questionNotFound':
      if (error.number === null)
        return t('authoring.errors.questionGone', { quiz: quoted(error.quizName, t) });
      return error.questionCount === 0
        ? t('authoring.errors.noQuestionsYet', { quiz: quoted(error.quizName, t) })
        : t('authoring.errors.questionNotFound', {
            quiz: quoted(error.quizName, t),
            number: error.number,
            last: error.questionCount,
          });
    case 'quizNameTaken':
      return t('authoring.errors.quizNameTaken', { quiz: quoted(error.name, t) });
    case 'quizExists':
      return t('authoring.errors.quizExists', { quiz: quoted(error.name, t) });
    case 'tooManyQuestions':
      return t('authoring.errors.tooManyQuestions', { quiz: quoted(error.quizName, t), max: error.max });
    case 'everyoneCannotManage':
      return t('authoring.errors.everyoneCannotManage');
    case 'tooManyManagerRoles':
      return t('authoring.errors.tooManyManagerRoles', { max: error.max });
    case 'invalidQuestion':
      return bulletList(
        t('authoring.errors.invalidQuestion'),
        error.errors.map((e) => escapeMarkdown(renderFieldError(e, t))),
        t,
      );
    case 'invalidQuizSettings':
      return bulletList(
        t('authoring.errors.invalidQuizSettings'),
        error.errors.map((e) => escapeMarkdown(renderFieldError(e, t))),
        t,
      );
    case 'invalidFile':
      return fileErrorList(
        t('authoring.errors.invalidFile', { file: fileName(error.fileName) }),
        error.errors.map((e) => fileErrorLine(e, t)),
        t,
      );
    case 'fileTooLarge':
      return error.actualBytes === null
        ? t('authoring.errors.fileTooLarge.sizeUnknown', {
            file: fileName(error.fileName),
            max: formatBytes(error.maxBytes, t),
          })
        : t('authoring.errors.fileTooLarge.sizeKnown', {
            file: fileName(error.fileName),
            size: formatBytes(error.actualBytes, t),
            max: formatBytes(error.maxBytes, t),
          });
    case 'downloadFailed':
      return t('authoring.errors.downloadFailed', {
        file: fileName(error.fileName),
        reason: downloadReason(error.reason, t),
      });
    case 'notText':
      return t('authoring.errors.notText', { file: fileName(error.fileName) });
    case 'databaseUnavailable':
      return renderUserError(error, t);
  }
}
