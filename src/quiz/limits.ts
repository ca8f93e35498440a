/**
 * Authoring limits. Each text limit is the Discord limit of the place the text is shown, so an
 * over-long text is refused when it is written, never discovered as a 400 during a quiz.
 */
export const QUIZ_LIMITS = {
  /** Quiz name: embed title (256) and autocomplete choice name (100) — the smaller binds. */
  nameMaxLength: 100,
  /** Quiz description: a field value in `/quiz list` (1024). */
  descriptionMaxLength: 1024,
  /** Question text: embed description while playing (4096) and a field value in `/quiz questions` (1024). */
  questionMaxLength: 1024,
  /** Option text: a button label (80). */
  optionMaxLength: 80,
  /** Explanation: a field value in the feedback embed (1024). */
  explanationMaxLength: 1024,
  /** Options per question: one action row holds 5 buttons. */
  minOptions: 2,
  maxOptions: 5,
  minPoints: 1,
  maxPoints: 1000,
  defaultPoints: 10,
  minTimerSeconds: 5,
  maxTimerSeconds: 600,
  maxQuestions: 100,
  /** Import files larger than this are refused before parsing. */
  maxFileBytes: 512 * 1024,
} as const;

/** Letters shown on answer buttons and accepted as the correct answer in the modal. */
export const OPTION_LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;
