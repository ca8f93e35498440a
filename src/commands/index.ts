import type { Command } from './Command.js';
import { createHelpCommand } from './help.js';
import { createStatusCommand, type StatusCommandDeps } from './status.js';

export type { Command, CommandContext, CommandResult, ComponentHandler, ModalHandler } from './Command.js';
export type { CommandError } from './CommandError.js';

/** What the commands need, one entry per command (each gets only its own deps). */
export interface CommandDeps {
  status: StatusCommandDeps;
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
  return commands;
}
