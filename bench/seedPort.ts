/**
 * A literal TypeScript port of the original bot's `utils/analytics.py` recording methods, kept
 * only as the benchmark baseline: lists trimmed with `slice(-1000)` once longer than 1000,
 * defaultdict-like Maps keyed on raw ids, and asyncio.Lock as a promise-chain mutex taken by
 * every method. Do not use it in the bot.
 */

/** asyncio.Lock as a promise chain: each holder waits for the previous one to release. */
class AsyncLock {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(body: () => T): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return body();
    } finally {
      release();
    }
  }
}

/** defaultdict(int) */
function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export class SeedQuizAnalytics {
  quizzesStarted = 0;
  quizzesCompleted = 0;
  questionsAnswered = 0;
  correctAnswers = 0;

  quizDurations: number[] = [];
  questionDurations: number[] = [];
  quizScores: number[] = [];

  popularQuizzes = new Map<number | string, number>();
  userParticipation = new Map<number | string, number>();
  guildUsage = new Map<number | string, number>();
  hourlyUsage = new Map<number, number>();
  dailyUsage = new Map<number, number>();

  dbQueryTimes: number[] = [];
  commandResponseTimes = new Map<string, number[]>();

  errors = new Map<string, number>();
  lastErrors: Array<Record<string, unknown>> = [];

  lock = new AsyncLock();
  startTime = Date.now() / 1000;

  async recordQuizStart(
    userId: number | string,
    quizId: number | string,
    guildId?: number | string,
  ): Promise<void> {
    await this.lock.run(() => {
      this.quizzesStarted += 1;
      increment(this.popularQuizzes, quizId);
      increment(this.userParticipation, userId);
      if (guildId !== undefined) increment(this.guildUsage, guildId);
      const now = new Date(); // datetime.now(): server local time, as the original
      increment(this.hourlyUsage, now.getHours());
      increment(this.dailyUsage, (now.getDay() + 6) % 7); // weekday(): Monday = 0
    });
  }

  async recordQuizCompletion(
    _userId: number | string,
    _quizId: number | string,
    duration: number,
    score: number,
  ): Promise<void> {
    await this.lock.run(() => {
      this.quizzesCompleted += 1;
      this.quizDurations.push(duration);
      this.quizScores.push(score);
      if (this.quizDurations.length > 1000) this.quizDurations = this.quizDurations.slice(-1000);
      if (this.quizScores.length > 1000) this.quizScores = this.quizScores.slice(-1000);
    });
  }

  async recordAnswer(isCorrect: boolean, timeTaken = 0.0): Promise<void> {
    await this.lock.run(() => {
      this.questionsAnswered += 1;
      if (isCorrect) this.correctAnswers += 1;
      if (timeTaken > 0) {
        this.questionDurations.push(timeTaken);
        if (this.questionDurations.length > 1000)
          this.questionDurations = this.questionDurations.slice(-1000);
      }
    });
  }

  async recordCommand(commandName: string, responseTime: number): Promise<void> {
    await this.lock.run(() => {
      let times = this.commandResponseTimes.get(commandName);
      if (times === undefined) {
        times = [];
        this.commandResponseTimes.set(commandName, times);
      }
      times.push(responseTime);
      if (times.length > 100) this.commandResponseTimes.set(commandName, times.slice(-100));
    });
  }

  async recordDbQuery(queryTime: number): Promise<void> {
    await this.lock.run(() => {
      this.dbQueryTimes.push(queryTime);
      if (this.dbQueryTimes.length > 1000) this.dbQueryTimes = this.dbQueryTimes.slice(-1000);
    });
  }

  async recordError(errorType: string, errorDetails: Record<string, unknown>): Promise<void> {
    await this.lock.run(() => {
      increment(this.errors, errorType);
      errorDetails.timestamp = new Date().toISOString(); // mutates the caller's dict, as the original
      this.lastErrors.push(errorDetails);
      if (this.lastErrors.length > 100) this.lastErrors = this.lastErrors.slice(-100);
    });
  }
}
