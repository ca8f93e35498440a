/**
 * Seeds quizzes straight into the bot's database through `src/store` (before the bot starts), so
 * load and fault runs do not depend on the authoring commands and start from a known state.
 */
import pino from 'pino';
import type { QuestionInput, QuizInput } from '../../../src/quiz/types.js';
import { openDatabase } from '../../../src/store/openDatabase.js';

export interface SeedQuiz {
  name: string;
  questions: number;
  timerSeconds: number;
}

export interface SeededQuiz extends SeedQuiz {
  id: number;
  /** Option index of the right answer of each question, in stored order. */
  correctIndexes: number[];
}

/** Question `q` of every seeded quiz: 4 options, the right one at `q % 4`. */
function question(q: number): QuestionInput {
  return {
    text: `Load question ${q + 1}: which option is number ${(q % 4) + 1}?`,
    options: ['Option one', 'Option two', 'Option three', 'Option four'],
    correctIndex: q % 4,
    points: 10,
    explanation: `Option ${(q % 4) + 1} was right.`,
  };
}

/**
 * Migrates `databaseUrl`, imports `quizzes` into `guildId` (created by `creatorId`) and sets the
 * guild's retake policy to `unlimited`, so a member can take quizzes again and again in a load run.
 */
export async function seedQuizzes(options: {
  databaseUrl: string;
  guildId: string;
  creatorId: string;
  quizzes: SeedQuiz[];
  retakePolicy?: 'once' | 'unlimited';
}): Promise<SeededQuiz[]> {
  const database = await openDatabase({ url: options.databaseUrl, logger: pino({ level: 'silent' }) });
  try {
    await database.migrate();
    const seeded: SeededQuiz[] = [];
    for (const spec of options.quizzes) {
      const input: QuizInput = {
        name: spec.name,
        description: 'Seeded by the load harness',
        timerSeconds: spec.timerSeconds,
        questionLimit: null,
        shuffle: false,
        opensAt: null,
        closesAt: null,
      };
      const questions = Array.from({ length: spec.questions }, (_, q) => question(q));
      const result = await database.quizzes.importQuiz(options.guildId, options.creatorId, input, questions);
      seeded.push({ ...spec, id: result.quiz.id, correctIndexes: questions.map((q) => q.correctIndex) });
    }
    await database.guildSettings.update(options.guildId, {
      retakePolicy: options.retakePolicy ?? 'unlimited',
    });
    return seeded;
  } finally {
    await database.close();
  }
}
