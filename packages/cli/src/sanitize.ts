/**
 * Makes untrusted text safe to print on a terminal: control characters (which could move the cursor, clear
 * the screen or forge colours) and bidirectional overrides (which could reorder what is shown) are written
 * as visible escapes such as `\u001b`. Tabs and newlines stay.
 */
export function sanitizeForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
