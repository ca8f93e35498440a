import type { Command } from './Command.js';
import { createHelpCommand } from './help.js';
import { createLeaderboardCommand, type LeaderboardCommandDeps } from './leaderboard.js';
import { localizeCommand } from './localizeCommand.js';
import { createMyDataCommand, type MyDataCommandDeps } from './mydata.js';
import { createQuizCommand, type QuizCommandDeps } from './quiz/index.js';
import { createScoresCommand, type ScoresCommandDeps } from './scores.js';
import { createSettingsCommand, type SettingsCommandDeps } from './settings.js';
import { createStatsCommand, type StatsCommandDeps } from './stats.js';
import { createStatusCommand, type StatusCommandDeps } from './status.js';

export type { CommandError, UserError } from '../render/userErrors.js';
export type { Command, CommandContext, CommandResult, ComponentHandler, ModalHandler } from './Command.js';

/** What the commands need, one entry per command (each gets only its own deps). */
export interface CommandDeps {
  status: StatusCommandDeps;
  /** `/quiz` (authoring; `take` when `quiz.take` is given). Absent: no `/quiz` command. */
  quiz?: QuizCommandDeps;
  /** `/settings`. Absent: no `/settings` command. */
  settings?: SettingsCommandDeps;
  /** `/leaderboard`. Absent: no `/leaderboard` command. */
  leaderboard?: LeaderboardCommandDeps;
  /** `/stats`. Absent: no `/stats` command. */
  stats?: StatsCommandDeps;
  /** `/scores` (managers) and `/mydata` (everyone). Absent: neither command. */
  scores?: ScoresCommandDeps & MyDataCommandDeps;
  /** Published documentation, shown by `/help`. */
  docsUrl?: string;
}

/**
 * Every slash command Badgey registers, listed explicitly (no folder scanning), with their texts
 * from the message catalogue in every language (`localizeCommand`).
 */
export function createCommands(deps: CommandDeps): Command[] {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand({ definitions: () => commands.map((c) => c.definition), docsUrl: deps.docsUrl }),
    createStatusCommand(deps.status),
  );
  if (deps.quiz) commands.push(createQuizCommand(deps.quiz));
  if (deps.settings) commands.push(createSettingsCommand(deps.settings));
  if (deps.leaderboard) commands.push(createLeaderboardCommand(deps.leaderboard));
  if (deps.stats) commands.push(createStatsCommand(deps.stats));
  if (deps.scores) commands.push(createScoresCommand(deps.scores), createMyDataCommand(deps.scores));
  for (const command of commands) command.definition = localizeCommand(command.definition);
  return commands;
}
