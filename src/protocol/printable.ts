// Text naught did not write itself (an error that quotes a worker's bytes, a path, a
// version a client sent) reaches naught.log, the console and systemd's status on one
// line: a newline or an escape sequence in it could forge a line of naught's, or
// rewrite the operator's terminal.

/** C0 and C1 controls, DEL, and the two line separators some readers honour. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` with each control character written as an escape (`\n`, `\x1b`, `\u2028`). */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    if (char === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}
