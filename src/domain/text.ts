/**
 * Control characters people never mean to type: C0 controls other than tab and newline, DEL and
 * the C1 controls. A NUL cannot even be stored in PostgreSQL text; the others hide in logs and
 * messages. Refused at the edge, with the field named.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** The first control character in `text` as `U+0000`, or null when there is none. */
export function controlCharacterIn(text: string): string | null {
  const found = CONTROL_CHARACTER.exec(text)?.[0];
  return found === undefined ? null : `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
