/** One bad configuration key: what is wrong with it and where its value came from. */
export class ConfigIssue {
  constructor(
    /** The environment variable name, e.g. `HEALTH_PORT`. */
    readonly key: string,
    /** What is wrong, ending with what was found: `must be an integer 1-65535, got "80x"`. */
    readonly problem: string,
    /** Where the value came from: `env`, `.env:LINE`, `FILE:LINE` or `default`. */
    readonly source: string,
  ) {}

  /** One line: `HEALTH_PORT: must be an integer 1-65535, got "80x" (from env)`. */
  toString(): string {
    return this.source === 'default'
      ? `${this.key}: ${this.problem}`
      : `${this.key}: ${this.problem} (from ${this.source})`;
  }
}

/** The configuration cannot be used. `message` has one line per issue; secrets are never echoed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], message = issues.map(String).join('\n')) {
    super(message);
    this.issues = issues;
  }
}
