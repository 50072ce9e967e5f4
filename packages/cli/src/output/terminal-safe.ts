// C0 controls but tab and line feed, DEL and C1 controls: an escape sequence in a remote error
// message or service metadata could otherwise clear the screen or rewrite earlier lines.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text safe to print on a terminal: control characters are shown as `\u001b`-style escapes. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
