/**
 * Every custom-id handler name in one place. A renderer writes the name into the buttons, selects
 * and modals it draws (`encodeCustomId`); the command that owns the name registers its handler under
 * it (`Command.components` / `Command.modals`); the router finds the handler by it. Living below
 * both render/ and commands/ keeps either from importing the other for a string.
 * Names are persisted in messages that outlive deployments: never rename one.
 */

/** The list's page buttons: `quiz-list:page:<0-based page>`. */
export const QUIZ_LIST_HANDLER = 'quiz-list';

/** The delete confirmation buttons: `quiz-delete:<confirm|cancel>:<quizId>:<userId>`. */
export const QUIZ_DELETE_HANDLER = 'quiz-delete';

/** The review's page buttons: `quiz-questions:page:<quizId>:<0-based page>`. */
export const QUIZ_QUESTIONS_HANDLER = 'quiz-questions';

/** The question modal (`add:<quizId>`, `edit:<quizId>:<questionId>`) and its retry button. */
export const QUESTION_MODAL_HANDLER = 'quiz-question';

/**
 * The play buttons: `quiz-play:answer:<session>:<question>:<option>`,
 * `quiz-play:next:<session>:<question>[:last]`, `quiz-play:leave`, and on an interrupted session
 * `quiz-play:continue|restart|giveup:<session>`.
 */
export const QUIZ_PLAY_HANDLER = 'quiz-play';

/** Live channel games: `live-game:answer:<game>:<option>`, `live-game:start|cancel:<game>`. */
export const LIVE_GAME_HANDLER = 'live-game';

/** `/scores reset` confirmation: `scores-reset:<confirm|cancel>:<all|quiz|member>:<quiz id | member id | ->:<userId>`. */
export const SCORES_RESET_HANDLER = 'scores-reset';

/** `/mydata delete` confirmation: `mydata-delete:<confirm|cancel>:<userId>` (only that member may press). */
export const MYDATA_DELETE_HANDLER = 'mydata-delete';
