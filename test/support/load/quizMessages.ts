/** Reading Badgey's quiz messages the way a member does: which answer buttons can be pressed, is this the result. */
import type { APIMessage } from 'discord-api-types/v10';

export interface AnswerButton {
  customId: string;
  label: string;
}

interface RawComponent {
  type?: number;
  custom_id?: string;
  label?: string;
  style?: number;
  disabled?: boolean;
  components?: RawComponent[];
}

const BUTTON = 2;
const LINK_STYLE = 5;
/** Badgey's answer buttons carry `answer` as their custom-id action (`bdg1:<handler>:answer:…`). */
const ANSWER_ACTION = /^bdg1:[a-z0-9-]+:answer(:|$)/;
const NEXT_ACTION = /^bdg1:[a-z0-9-]+:next(:|$)/;
const RESTART_ACTION = /^bdg1:[a-z0-9-]+:restart(:|$)/;

/** The enabled answer buttons of a message, in display order. */
export function answerButtons(message: APIMessage | undefined): AnswerButton[] {
  if (!message) return [];
  const out: AnswerButton[] = [];
  const visit = (components: readonly RawComponent[] | undefined): void => {
    for (const c of components ?? []) {
      if (
        c.type === BUTTON &&
        c.style !== LINK_STYLE &&
        !c.disabled &&
        typeof c.custom_id === 'string' &&
        ANSWER_ACTION.test(c.custom_id)
      )
        out.push({ customId: c.custom_id, label: c.label ?? '' });
      visit(c.components);
    }
  };
  visit(message.components as readonly RawComponent[] | undefined);
  return out;
}

/** `<session>:<question>` of the answer buttons shown (undefined: no answer buttons). */
export function questionKey(message: APIMessage | undefined): string | undefined {
  const first = answerButtons(message)[0];
  // bdg1:quiz-play:answer:<session>:<question>:<option> → drop the option
  return first ? first.customId.split(':').slice(3, -1).join(':') : undefined;
}

/** The custom id of the first enabled button whose custom-id action matches, if shown. */
function buttonWithAction(message: APIMessage | undefined, action: RegExp): string | undefined {
  let found: string | undefined;
  const visit = (components: readonly RawComponent[] | undefined): void => {
    for (const c of components ?? []) {
      if (c.type === BUTTON && !c.disabled && typeof c.custom_id === 'string' && action.test(c.custom_id))
        found ??= c.custom_id;
      visit(c.components);
    }
  };
  visit(message?.components as readonly RawComponent[] | undefined);
  return found;
}

/** The custom id of an enabled "Next question" / "See results" button, if shown. */
export function nextButton(message: APIMessage | undefined): string | undefined {
  return buttonWithAction(message, NEXT_ACTION);
}

/** "Start over" on the offer of an interrupted attempt of the same quiz (e.g. after a restart), if shown. */
export function startOverButton(message: APIMessage | undefined): string | undefined {
  return buttonWithAction(message, RESTART_ACTION);
}

/** Every text a member reads in a message: content, embed titles, descriptions, fields, footers. */
export function messageText(message: APIMessage | undefined): string {
  if (!message) return '';
  const parts: string[] = [message.content ?? ''];
  for (const embed of message.embeds ?? []) {
    parts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
    for (const field of embed.fields ?? []) parts.push(field.name, field.value);
  }
  return parts.filter((p) => p !== '').join('\n');
}

/** The member's personal result summary (the embed titled "Quiz complete: …"). */
export function isResultMessage(message: APIMessage | undefined): boolean {
  return (message?.embeds ?? []).some((e) => /^quiz complete\b/i.test(e.title ?? ''));
}

/**
 * Nothing more will happen on this message: no buttons left and something written (a result, the
 * session ended, or the take was refused). A deferred reply still loading is not final.
 */
export function isFinalMessage(message: APIMessage | undefined): boolean {
  if (!message) return false;
  const hasButtons = (message.components ?? []).some((row) =>
    ((row as RawComponent).components ?? []).some((c) => c.type === BUTTON && !c.disabled),
  );
  return !hasButtons && messageText(message).trim() !== '';
}

/** Badgey's reply to a failure: the error boundary's message or a "could not be recorded/saved" notice. */
export function isErrorReply(text: string): boolean {
  return /something went wrong|could(?:n't| not) (?:be )?(?:record|save|store)|try again in a moment/i.test(
    text,
  );
}
