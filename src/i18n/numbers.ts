/**
 * Numbers in a locale's notation, for texts that show decimals: the decimal sign follows the
 * locale (`12.5` / `12,5`) and there is no digit grouping (`1000 KiB` in every language).
 */
const formats = new Map<string, Intl.NumberFormat>();

/** `value` with exactly `digits` decimals in `locale`'s notation (formats are built once per locale). */
export function formatDecimal(value: number, digits: number, locale: string): string {
  const key = `${locale}:${digits}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: false,
    });
    formats.set(key, format);
  }
  return format.format(value);
}
