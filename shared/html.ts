/**
 * Escaping for text that ends up in HTML the console builds as a string (ECharts tooltip
 * formatters: a string a formatter returns is set as the tooltip's innerHTML). Dependency-free, so
 * the console and the unit tests share it. React's JSX escapes on its own; this is for the places
 * where React is not the one writing the markup.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The text as HTML text (or a quoted attribute value): `& < > " '` become entities. null/undefined → ''. */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Lines of text as tooltip HTML: each escaped, empty ones dropped, joined with `<br/>`. */
export function htmlLines(lines: readonly unknown[]): string {
  return lines
    .filter((l) => l !== null && l !== undefined && l !== '')
    .map(escapeHtml)
    .join('<br/>');
}
