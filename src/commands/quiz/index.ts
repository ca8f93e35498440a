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
  /** Shown in Discord's command picker (≤ 100 characters). */
  description: string;
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
function withQuizOption(
  sub: SlashCommandSubcommandBuilder,
  description = 'The quiz',
): SlashCommandSubcommandBuilder {
  return sub.addStringOption((o) =>
    o
      .setName('quiz')
      .setDescription(description)
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
      .setDescription('Question number (see /quiz questions)')
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
  const clear = editing ? ' (- to clear)' : '';
  return sub
    .addStringOption((o) =>
      o
        .setName('description')
        .setDescription(`Shown in the quiz list${clear}`)
        .setMaxLength(L.descriptionMaxLength),
    )
    .addIntegerOption((o) =>
      o
        .setName('timer')
        .setDescription(`Seconds per question (${L.minTimerSeconds}–${L.maxTimerSeconds})`)
        .setMinValue(L.minTimerSeconds)
        .setMaxValue(L.maxTimerSeconds),
    )
    .addIntegerOption((o) =>
      o
        .setName('question-limit')
        .setDescription(`Ask at most this many questions per attempt${editing ? ' (0: all)' : ''}`)
        .setMinValue(editing ? 0 : 1)
        .setMaxValue(L.maxQuestions),
    )
    .addBooleanOption((o) =>
      o.setName('shuffle').setDescription('Shuffle the question order for every attempt'),
    )
    .addStringOption((o) =>
      o
        .setName('opens')
        .setDescription(`Attempts start from (ISO date-time, e.g. 2026-05-01T18:00:00Z)${clear}`),
    )
    .addStringOption((o) =>
      o.setName('closes').setDescription(`Attempts end at (ISO date-time with time zone)${clear}`),
    );
}

export function buildQuizDefinition(take?: QuizSubcommand, live?: LiveSubcommands) {
  const builder = new SlashCommandBuilder()
    .setName('quiz')
    .setDescription('Create, manage and take quizzes')
    .setContexts(InteractionContextType.Guild);
  if (take) {
    builder.addSubcommand((sub) => {
      const withQuiz = withQuizOption(
        sub.setName('take').setDescription(take.description),
        'The quiz to take',
      );
      return take.addOptions ? take.addOptions(withQuiz) : withQuiz;
    });
  }
  if (live) {
    builder
      .addSubcommand((sub) =>
        live.addHostOptions(
          withQuizOption(
            sub.setName('host').setDescription('Host a live game the whole channel plays (managers)'),
            'The quiz to play',
          ),
        ),
      )
      .addSubcommand((sub) =>
        sub.setName('games').setDescription("This server's scheduled and running live games (managers)"),
      );
  }
  builder
    .addSubcommand((sub) =>
      sub
        .setName('list')
        .setDescription("This server's quizzes")
        .addIntegerOption((o) => o.setName('page').setDescription('Page number').setMinValue(1)),
    )
    .addSubcommand((sub) =>
      withSettingsOptions(
        sub
          .setName('create')
          .setDescription('Create a quiz (managers)')
          .addStringOption((o) =>
            o.setName('name').setDescription('Quiz name').setRequired(true).setMaxLength(L.nameMaxLength),
          ),
        false,
      ),
    )
    .addSubcommand((sub) =>
      withSettingsOptions(
        withQuizOption(
          sub.setName('edit').setDescription("Change a quiz's settings (managers)"),
        ).addStringOption((o) => o.setName('name').setDescription('New name').setMaxLength(L.nameMaxLength)),
        true,
      ),
    )
    .addSubcommand((sub) =>
      withQuizOption(
        sub.setName('delete').setDescription('Delete a quiz with its questions and scores (managers)'),
      ),
    )
    .addSubcommand((sub) =>
      withQuizOption(sub.setName('add-question').setDescription('Add a question to a quiz (managers)')),
    )
    .addSubcommand((sub) =>
      withQuestionNumberOption(
        withQuizOption(sub.setName('edit-question').setDescription('Edit a question of a quiz (managers)')),
      ),
    )
    .addSubcommand((sub) =>
      withQuestionNumberOption(
        withQuizOption(
          sub.setName('remove-question').setDescription('Remove a question from a quiz (managers)'),
        ),
      ),
    )
    .addSubcommand((sub) =>
      withQuizOption(
        sub
          .setName('questions')
          .setDescription("A quiz's questions with their answers (managers, only you see it)"),
      ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('import')
        .setDescription('Create or replace a quiz from a YAML or JSON file (managers)')
        .addAttachmentOption((o) =>
          o.setName('file').setDescription('A .yaml, .yml or .json quiz file').setRequired(true),
        )
        .addBooleanOption((o) =>
          o
            .setName('replace')
            .setDescription('Overwrite the quiz of the same name if it exists (default: no)'),
        ),
    )
    .addSubcommand((sub) =>
      withQuizOption(
        sub.setName('export').setDescription('Download a quiz as a file (managers)'),
      ).addStringOption((o) =>
        o
          .setName('format')
          .setDescription('File format (default YAML)')
          .addChoices({ name: 'YAML', value: 'yaml' }, { name: 'JSON', value: 'json' }),
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
