import type { Command } from './Command.js';
import { createHelpCommand } from './help.js';
import { createQuizCommand, type QuizCommandDeps } from './quiz/index.js';
import { createSettingsCommand, type SettingsCommandDeps } from './settings.js';
import { createStatusCommand, type StatusCommandDeps } from './status.js';

export type { Command, CommandContext, CommandResult, ComponentHandler, ModalHandler } from './Command.js';
export type { CommandError } from './CommandError.js';

/** What the commands need, one entry per command (each gets only its own deps). */
export interface CommandDeps {
  status: StatusCommandDeps;
  /** `/quiz` (authoring; `take` when `quiz.take` is given). Absent: no `/quiz` command. */
  quiz?: QuizCommandDeps;
  /** `/settings`. Absent: no `/settings` command. */
  settings?: SettingsCommandDeps;
  /** Published documentation, shown by `/help`. */
  docsUrl?: string;
}

/** Every slash command Badgey registers, listed explicitly (no folder scanning). */
export function createCommands(deps: CommandDeps): Command[] {
  const commands: Command[] = [];
  commands.push(
    createHelpCommand({ definitions: () => commands.map((c) => c.definition), docsUrl: deps.docsUrl }),
    createStatusCommand(deps.status),
  );
  if (deps.quiz) commands.push(createQuizCommand(deps.quiz));
  if (deps.settings) commands.push(createSettingsCommand(deps.settings));
  return commands;
}
