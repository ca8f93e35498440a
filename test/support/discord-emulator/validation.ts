import { Locale } from 'discord-api-types/v10';
import { ApiError, ErrorCodes, invalidFormBody } from './ApiError.js';

/** Discord's limits the bot is most likely to hit; each answers 400 50035 as Discord does. */
export function validateMessageBody(
  body: Record<string, unknown>,
  fileCount: number,
  creating: boolean,
): void {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    throw invalidFormBody('content', 'BASE_TYPE_STRING', 'Must be a string.');
  }
  if (typeof content === 'string' && [...content].length > 2000) {
    throw invalidFormBody('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Array<Record<string, unknown>>) : [];
  if (embeds.length > 10)
    throw invalidFormBody('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let embedChars = 0;
  embeds.forEach((embed, i) => {
    const title = typeof embed.title === 'string' ? embed.title : '';
    const description = typeof embed.description === 'string' ? embed.description : '';
    if (title.length > 256) {
      throw invalidFormBody(`embeds.${i}.title`, 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
    }
    if (description.length > 4096) {
      throw invalidFormBody(
        `embeds.${i}.description`,
        'BASE_TYPE_MAX_LENGTH',
        'Must be 4096 or fewer in length.',
      );
    }
    const fields = Array.isArray(embed.fields) ? (embed.fields as Array<Record<string, unknown>>) : [];
    if (fields.length > 25) {
      throw invalidFormBody(`embeds.${i}.fields`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    embedChars += title.length + description.length;
    fields.forEach((f, j) => {
      const name = typeof f.name === 'string' ? f.name : '';
      const value = typeof f.value === 'string' ? f.value : '';
      if (name.length === 0 || name.length > 256) {
        throw invalidFormBody(
          `embeds.${i}.fields.${j}.name`,
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 256 in length.',
        );
      }
      if (value.length === 0 || value.length > 1024) {
        throw invalidFormBody(
          `embeds.${i}.fields.${j}.value`,
          'BASE_TYPE_BAD_LENGTH',
          'Must be between 1 and 1024 in length.',
        );
      }
      embedChars += name.length + value.length;
    });
    const footer = embed.footer as { text?: unknown } | undefined;
    if (typeof footer?.text === 'string') embedChars += footer.text.length;
    const author = embed.author as { name?: unknown } | undefined;
    if (typeof author?.name === 'string') embedChars += author.name.length;
  });
  if (embedChars > 6000) {
    throw invalidFormBody('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  }
  const components = Array.isArray(body.components)
    ? (body.components as Array<Record<string, unknown>>)
    : [];
  const isComponentsV2 = typeof body.flags === 'number' && (body.flags & (1 << 15)) !== 0;
  if (!isComponentsV2 && components.length > 5) {
    throw invalidFormBody('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  components.forEach((row, i) => {
    validateCustomIds(row, `components.${i}`);
  });
  if (creating) {
    const empty =
      (typeof content !== 'string' || content.length === 0) &&
      embeds.length === 0 &&
      components.length === 0 &&
      fileCount === 0 &&
      body.poll === undefined &&
      !(Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0);
    if (empty) throw new ApiError(400, ErrorCodes.CannotSendEmptyMessage, 'Cannot send an empty message');
  }
}

function validateCustomIds(component: Record<string, unknown>, path: string): void {
  if (
    typeof component.custom_id === 'string' &&
    (component.custom_id.length === 0 || component.custom_id.length > 100)
  ) {
    throw invalidFormBody(
      `${path}.custom_id`,
      'BASE_TYPE_BAD_LENGTH',
      'Must be between 1 and 100 in length.',
    );
  }
  const children = Array.isArray(component.components)
    ? (component.components as Array<Record<string, unknown>>)
    : [];
  children.forEach((child, i) => {
    validateCustomIds(child, `${path}.components.${i}`);
  });
  if (component.component && typeof component.component === 'object') {
    validateCustomIds(component.component as Record<string, unknown>, `${path}.component`);
  }
}

export function validateAutocompleteChoices(data: Record<string, unknown>): void {
  const choices = Array.isArray(data.choices) ? (data.choices as Array<Record<string, unknown>>) : undefined;
  if (!choices) throw invalidFormBody('data.choices', 'BASE_TYPE_REQUIRED', 'This field is required');
  if (choices.length > 25)
    throw invalidFormBody('data.choices', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  choices.forEach((c, i) => {
    const name = typeof c.name === 'string' ? c.name : '';
    if (name.length === 0 || name.length > 100) {
      throw invalidFormBody(
        `data.choices.${i}.name`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
  });
}

export function validateModal(data: Record<string, unknown>): void {
  const title = typeof data.title === 'string' ? data.title : '';
  if (title.length === 0 || title.length > 45) {
    throw invalidFormBody('data.title', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
  }
  if (typeof data.custom_id !== 'string' || data.custom_id.length === 0 || data.custom_id.length > 100) {
    throw invalidFormBody('data.custom_id', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const rows = Array.isArray(data.components) ? data.components : [];
  if (rows.length === 0 || rows.length > 5) {
    throw invalidFormBody('data.components', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  }
  // Text inputs: a label of 1-45 characters and a prefilled value within the field's max_length.
  rows.forEach((row: { components?: Record<string, unknown>[] }, i) => {
    (row.components ?? []).forEach((input, j) => {
      if (input.type !== 4) return;
      const at = `data.components.${i}.components.${j}`;
      const label = typeof input.label === 'string' ? input.label : '';
      if (label.length === 0 || label.length > 45)
        throw invalidFormBody(`${at}.label`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
      const max = typeof input.max_length === 'number' ? input.max_length : 4000;
      if (typeof input.value === 'string' && [...input.value].length > max)
        throw invalidFormBody(`${at}.value`, 'BASE_TYPE_BAD_LENGTH', `Must be ${max} or fewer in length.`);
    });
  });
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Discord's locales: the only keys a localization map may have. */
const LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

/** Names of CHAT_INPUT commands and of options: the naming regex, lower case where a letter has one. */
const isValidName = (name: string): boolean => COMMAND_NAME.test(name) && name === name.toLowerCase();
const length = (text: string): number => [...text].length;

/** Checks a bulk-overwrite body like Discord does for the mistakes builders can let through. */
export function validateCommands(commands: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(commands))
    throw invalidFormBody('_body', 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if (commands.length > 100)
    throw invalidFormBody('_body', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  commands.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null)
      throw invalidFormBody(`${i}`, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const command = raw as Record<string, unknown>;
    const type = typeof command.type === 'number' ? command.type : 1;
    const name = typeof command.name === 'string' ? command.name : '';
    if (type === 1 && !isValidName(name)) {
      throw invalidFormBody(`${i}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = typeof command.description === 'string' ? command.description : '';
    if (type === 1 && (description.length === 0 || description.length > 100)) {
      throw invalidFormBody(
        `${i}.description`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    // USER and MESSAGE commands may have mixed-case names with spaces; only their length is checked.
    validateNameLocalizations(command.name_localizations, `${i}.name_localizations`, type === 1);
    validateDescriptionLocalizations(command.description_localizations, `${i}.description_localizations`);
    const key = `${type}:${name}`;
    if (seen.has(key))
      throw invalidFormBody(
        `${i}.name`,
        'APPLICATION_COMMANDS_DUPLICATE_NAME',
        'Application command names must be unique',
      );
    seen.add(key);
    validateOptions(command.options, `${i}.options`);
  });
  // The same uniqueness per locale: two commands of one type may not share a localized name.
  rejectLocalizedDuplicates(
    commands as Array<Record<string, unknown>>,
    '',
    (c) => String(typeof c.type === 'number' ? c.type : 1),
    'APPLICATION_COMMANDS_DUPLICATE_NAME',
    'Application command names must be unique',
  );
  return commands as Array<Record<string, unknown>>;
}

function validateOptions(options: unknown, path: string): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options))
    throw invalidFormBody(path, 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
  if (options.length > 25)
    throw invalidFormBody(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let sawOptional = false;
  const seen = new Set<string>();
  options.forEach((raw, i) => {
    const option = raw as Record<string, unknown>;
    const name = typeof option.name === 'string' ? option.name : '';
    if (!isValidName(name)) {
      throw invalidFormBody(
        `${path}.${i}.name`,
        'APPLICATION_COMMAND_INVALID_NAME',
        'Command name is invalid',
      );
    }
    const description = typeof option.description === 'string' ? option.description : '';
    if (description.length === 0 || description.length > 100) {
      throw invalidFormBody(
        `${path}.${i}.description`,
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    validateNameLocalizations(option.name_localizations, `${path}.${i}.name_localizations`, true);
    validateDescriptionLocalizations(
      option.description_localizations,
      `${path}.${i}.description_localizations`,
    );
    if (seen.has(name))
      throw invalidFormBody(
        `${path}.${i}.name`,
        'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
        'Option names must be unique',
      );
    seen.add(name);
    if (option.type !== 1 && option.type !== 2) {
      if (option.required === true && sawOptional) {
        throw invalidFormBody(
          `${path}.${i}`,
          'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          'Required options must be placed before non-required options',
        );
      }
      if (option.required !== true) sawOptional = true;
    }
    const choices = Array.isArray(option.choices) ? option.choices : [];
    if (choices.length > 25)
      throw invalidFormBody(`${path}.${i}.choices`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    choices.forEach((choice: Record<string, unknown> | null, j) => {
      validateLocalizations(
        choice?.name_localizations,
        `${path}.${i}.choices.${j}.name_localizations`,
        (text) =>
          length(text) >= 1 && length(text) <= 100
            ? undefined
            : ['BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'],
      );
    });
    validateOptions(option.options, `${path}.${i}.options`);
  });
  rejectLocalizedDuplicates(
    options as Array<Record<string, unknown>>,
    path,
    () => '',
    'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
    'Option names must be unique',
  );
}

function validateNameLocalizations(map: unknown, path: string, chatInput: boolean): void {
  validateLocalizations(map, path, (name) => {
    if (chatInput) {
      return isValidName(name) ? undefined : ['APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid'];
    }
    return length(name) >= 1 && length(name) <= 32
      ? undefined
      : ['BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.'];
  });
}

function validateDescriptionLocalizations(map: unknown, path: string): void {
  validateLocalizations(map, path, (text) =>
    length(text) >= 1 && length(text) <= 100
      ? undefined
      : ['BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'],
  );
}

/**
 * A localization map: keys must be Discord locales, values strings passing `check` (which answers
 * the error's code and message, or undefined). A null value (allowed by Discord) is skipped.
 */
function validateLocalizations(
  map: unknown,
  path: string,
  check: (value: string) => [code: string, message: string] | undefined,
): void {
  if (map === undefined || map === null) return;
  if (typeof map !== 'object' || Array.isArray(map))
    throw invalidFormBody(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  for (const [locale, value] of Object.entries(map)) {
    if (!LOCALES.has(locale))
      throw invalidFormBody(
        `${path}.${locale}`,
        'ENUM_TYPE_COERCE',
        `Value "${locale}" is not a valid enum value.`,
      );
    if (value === null) continue;
    if (typeof value !== 'string')
      throw invalidFormBody(`${path}.${locale}`, 'BASE_TYPE_STRING', 'Must be a string.');
    const problem = check(value);
    if (problem) throw invalidFormBody(`${path}.${locale}`, problem[0], problem[1]);
  }
}

/**
 * Siblings (commands of one type, or the options of one parent) may not share a localized name
 * within a locale, as they may not share a name. `group` separates siblings that may (command types).
 */
function rejectLocalizedDuplicates(
  siblings: Array<Record<string, unknown>>,
  path: string,
  group: (sibling: Record<string, unknown>) => string,
  code: string,
  message: string,
): void {
  const seen = new Set<string>();
  siblings.forEach((sibling, i) => {
    const map = sibling?.name_localizations;
    if (!map || typeof map !== 'object') return;
    for (const [locale, name] of Object.entries(map)) {
      if (typeof name !== 'string') continue;
      const key = `${group(sibling)}:${locale}:${name}`;
      if (seen.has(key)) {
        const at = path === '' ? `${i}` : `${path}.${i}`;
        throw invalidFormBody(`${at}.name_localizations.${locale}`, code, message);
      }
      seen.add(key);
    }
  });
}
