import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import type { Translate } from '../i18n/index.js';

/**
 * The `◀ Previous` / `Next ▶` row of a paged reply; none when everything fits on one page.
 * `page` is 0-based; `customIdOf` names the button that shows the given page.
 */
export function pageButtons(
  page: number,
  pageCount: number,
  customIdOf: (page: number) => string,
  t: Translate,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (pageCount <= 1) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: t('authoring.pageButtons.previous'),
          custom_id: customIdOf(page - 1),
          disabled: page === 0,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: t('authoring.pageButtons.next'),
          custom_id: customIdOf(page + 1),
          disabled: page >= pageCount - 1,
        },
      ],
    },
  ];
}
