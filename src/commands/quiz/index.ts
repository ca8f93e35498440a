/**
 * `/quiz`: its definition and subcommand dispatch. Each subcommand's handler lives in its own file
 * of this folder; `/quiz take` is supplied from outside through `QuizCommandDeps.take`.
 *
 * Contract for `take` (and any later player-facing subcommand):
 * - The definition always gives it a first option `quiz` (string, required, autocomplete over the
 *   guild's quizzes: the choice value is the quiz id as text, typed text is a name). Resolve it with
 *   `quizService.resolveQuiz(interaction.guildId, interaction.options.getString('quiz', true))`.
 * - `addOptions` may add more options after `quiz`; autocomplete of those goes to its `autocomplete`.
 * - Its component/modal handler names must not collide with the authoring ones
 *   (`quiz-delete`, `quiz-list`, `quiz-questions`, `quiz-question`).
 */
import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { Clock } from '../../clock.js';
import { QUIZ_LIMITS as L } from '../../quiz/limits.js';
import type { QuizService } from '../../quiz/QuizService.js';
import type { Command, CommandContext, CommandResult, ComponentHandler, ModalHandler } from '../Command.js';
import { FROM_CATALOGUE } from '../localizeCommand.js';
import { replyError } from '../replies.js';
import { autocompleteQuestionNumber, autocompleteQuiz } from './autocomplete.js';
import { createQuizHandler, editQuizHandler } from './create.js';
import { deleteConfirmationComponents, deleteQuizHandler } from './delete.js';
import { exportQuizHandler } from './exportFile.js';
import { DEFAULT_IMPORT_OPTIONS, importQuizHandler, type QuizImportOptions } from './importFile.js';
import { listPageComponents, listQuizzesHandler } from './list.js';
import type { LiveSubcommands } from './live.js';
import { questionModalHandlers } from './questionModal.js';
import { listQuestionsHandler, questionPageComponents, removeQuestionHandler } from './questions.js';

export type { QuizImportOptions } from './importFile.js';

/** A subcommand of `/quiz` implemented elsewhere (e.g. `take`). */
export interface QuizSubcommand {
  /** Adds options after the built-in `quiz` option. */
  addOptions?(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<CommandResult>;
  /** Autocomplete of the options it added (the `quiz` option is answered by `/quiz` itself). */
  autocomplete?(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
  components?: Record<string, ComponentHandler>;
  modals?: Record<string, ModalHandler>;
}

export interface QuizCommandDeps {
  service: QuizService;
  /** Expires drafts of refused question modals. */
  clock: Clock;
  /** `/quiz import` download limits. */
  import?: Partial<QuizImportOptions>;
  /** `/quiz take`. Absent: `/quiz` has no `take` subcommand. */
  take?: QuizSubcommand;
  /** `/quiz host` and `/quiz games` (live channel games). Absent: no such subcommands. */
  live?: LiveSubcommands;
}

/** The `quiz` option every subcommand that works on one quiz starts with. */
function withQuizOption(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub.addStringOption((o) =>
    o
      .setName('quiz')
      .setDescription(FROM_CATALOGUE)
      .setRequired(true)
      .setAutocomplete(true)
      .setMaxLength(L.nameMaxLength),
  );
}

/** The 1-based `number` option of edit-question and remove-question (autocompleted for managers). */
function withQuestionNumberOption(sub: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return sub.addIntegerOption((o) =>
    o
      .setName('number')
      .setDescription(FROM_CATALOGUE)
      .setRequired(true)
      .setMinValue(1)
      .setMaxValue(L.maxQuestions)
      .setAutocomplete(true),
  );
}

/** Options shared by create and edit (edit makes `name` optional). */
function withSettingsOptions(
  sub: SlashCommandSubcommandBuilder,
  editing: boolean,
): SlashCommandSubcommandBuilder {
  return sub
    .addStringOption((o) =>
      o.setName('description').setDescription(FROM_CATALOGUE).setMaxLength(L.descriptionMaxLength),
    )
    .addIntegerOption((o) =>
      o
        .setName('timer')
        .setDescription(FROM_CATALOGUE)
        .setMinValue(L.minTimerSeconds)
        .setMaxValue(L.maxTimerSeconds),
    )
    .addIntegerOption((o) =>
      o
        .setName('question-limit')
        .setDescription(FROM_CATALOGUE)
        .setMinValue(editing ? 0 : 1)
        .setMaxValue(L.maxQuestions),
    )
    .addBooleanOption((o) => o.setName('shuffle').setDescription(FROM_CATALOGUE))
    .addStringOption((o) => o.setName('opens').setDescription(FROM_CATALOGUE))
    .addStringOption((o) => o.setName('closes').setDescription(FROM_CATALOGUE));
}

export function buildQuizDefinition(take?: QuizSubcommand, live?: LiveSubcommands) {
  const builder = new SlashCommandBuilder()
    .setName('quiz')
    .setDescription(FROM_CATALOGUE)
    .setContexts(InteractionContextType.Guild);
  if (take) {
    builder.addSubcommand((sub) => {
      const withQuiz = withQuizOption(sub.setName('take').setDescription(FROM_CATALOGUE));
      return take.addOptions ? take.addOptions(withQuiz) : withQuiz;
    });
  }
  if (live) {
    builder
      .addSubcommand((sub) =>
        live.addHostOptions(withQuizOption(sub.setName('host').setDescription(FROM_CATALOGUE))),
      )
      .addSubcommand((sub) => sub.setName('games').setDescription(FROM_CATALOGUE));
  }
  builder
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription(FROM_CATALOGUE)
        .addIntegerOption((o) => o.setName('page').setDescription(FROM_CATALOGUE).setMinValue(1)),
    )
    .addSubcommand((sub) =>
      withSettingsOptions(
        sub
          .setName('create')
          .setDescription(FROM_CATALOGUE)
          .addStringOption((o) =>
            o.setName('name').setDescription(FROM_CATALOGUE).setRequired(true).setMaxLength(L.nameMaxLength),
          ),
        false,
      ),
    )
    .addSubcommand((sub) =>
      withSettingsOptions(
        withQuizOption(sub.setName('edit').setDescription(FROM_CATALOGUE)).addStringOption((o) =>
          o.setName('name').setDescription(FROM_CATALOGUE).setMaxLength(L.nameMaxLength),
        ),
        true,
      ),
    )
    .addSubcommand((sub) => withQuizOption(sub.setName('delete').setDescription(FROM_CATALOGUE)))
    .addSubcommand((sub) => withQuizOption(sub.setName('add-question').setDescription(FROM_CATALOGUE)))
    .addSubcommand((sub) =>
      withQuestionNumberOption(withQuizOption(sub.setName('edit-question').setDescription(FROM_CATALOGUE))),
    )
    .addSubcommand((sub) =>
      withQuestionNumberOption(withQuizOption(sub.setName('remove-question').setDescription(FROM_CATALOGUE))),
    )
    .addSubcommand((sub) => withQuizOption(sub.setName('questions').setDescription(FROM_CATALOGUE)))
    .addSubcommand((sub) =>
      sub
        .setName('import')
        .setDescription(FROM_CATALOGUE)
        .addAttachmentOption((o) => o.setName('file').setDescription(FROM_CATALOGUE).setRequired(true))
        .addBooleanOption((o) => o.setName('replace').setDescription(FROM_CATALOGUE)),
    )
    .addSubcommand((sub) =>
      withQuizOption(sub.setName('export').setDescription(FROM_CATALOGUE)).addStringOption((o) =>
        o
          .setName('format')
          .setDescription(FROM_CATALOGUE)
          .addChoices({ name: FROM_CATALOGUE, value: 'yaml' }, { name: FROM_CATALOGUE, value: 'json' }),
      ),
    );
  return builder.toJSON();
}

type SubcommandHandler = (
  interaction: ChatInputCommandInteraction,
  ctx: CommandContext,
) => Promise<CommandResult>;

/** `/quiz`: authoring subcommands (and `take` when supplied). */
export function createQuizCommand(deps: QuizCommandDeps): Command {
  const { service, take, live } = deps;
  const modal = questionModalHandlers({ service, clock: deps.clock });
  const subcommands: Record<string, SubcommandHandler> = {
    list: listQuizzesHandler(service),
    create: createQuizHandler(service),
    edit: editQuizHandler(service),
    delete: deleteQuizHandler(service),
    'add-question': modal.addQuestion,
    'edit-question': modal.editQuestion,
    'remove-question': removeQuestionHandler(service),
    questions: listQuestionsHandler(service),
    import: importQuizHandler(service, { ...DEFAULT_IMPORT_OPTIONS, ...deps.import }),
    export: exportQuizHandler(service),
  };
  if (take) subcommands.take = (interaction, ctx) => take.execute(interaction, ctx);
  if (live) {
    subcommands.host = (interaction) => live.host(interaction);
    subcommands.games = (interaction) => live.games(interaction);
  }

  return {
    definition: buildQuizDefinition(take, live),

    async execute(interaction, ctx) {
      const name = interaction.options.getSubcommand(true);
      const handler = subcommands[name];
      if (!handler) return replyError(interaction, { kind: 'unknownCommand', name: `quiz ${name}` });
      return handler(interaction, ctx);
    },

    async autocomplete(interaction, ctx) {
      const focused = interaction.options.getFocused(true);
      if (focused.name === 'quiz') return autocompleteQuiz(service, interaction);
      const sub = interaction.options.getSubcommand(false);
      if (sub === 'take') return take?.autocomplete?.(interaction, ctx);
      if (focused.name === 'number') return autocompleteQuestionNumber(service, interaction);
    },

    components: {
      ...deleteConfirmationComponents(service),
      ...listPageComponents(service),
      ...questionPageComponents(service),
      ...modal.components,
      ...take?.components,
      ...live?.components,
    },
    modals: { ...modal.modals, ...take?.modals },
  };
}
