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

/** A result summary: no answer buttons left and the text talks about the final score. */
export function isResultMessage(message: APIMessage | undefined): boolean {
  return (
    answerButtons(message).length === 0 &&
    /\b(results?|final score|your score|quiz complete|finished|you scored)\b/i.test(messageText(message))
  );
}

/** Badgey's reply to a failure: the error boundary's message or a "could not be recorded/saved" notice. */
export function isErrorReply(text: string): boolean {
  return /something went wrong|could(?:n't| not) (?:be )?(?:record|save|store)|try again in a moment/i.test(
    text,
  );
}
