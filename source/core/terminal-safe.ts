/**
 * Text that reaches a terminal must not drive it: C0 and C1 control characters (ESC and CSI
 * start escape sequences, U+009B is a one-character CSI), DEL, and the Unicode controls that
 * reorder or hide text (bidi embeddings, overrides and isolates, directional marks, line and
 * paragraph separators). Nor break its layout: the four default-ignorable characters that
 * terminals draw although Ink measures them as nothing (string-width: 0 cells; wcwidth: SOFT
 * HYPHEN 1, HANGUL CHOSEONG FILLER and HANGUL FILLER 2, HALFWIDTH HANGUL FILLER 1), so a row of
 * them would never be cut and would wrap. Two treatments, for two kinds of output. Pure.
 */

/** Characters a JSON writer leaves raw (JSON.stringify escapes only C0) that a terminal would act on. */

const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Everything that must not reach a terminal raw, C0 included (tab and newline too: callers lay out lines themselves). */

const UNSAFE =
	/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\u3164\uffa0]/g;

function hex4(c: string): string {
	return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** True when JSON text holds a character that escapeJsonForTerminal would change. */
export function hasRawTerminalControls(json: string): boolean {
	RAW_IN_JSON.lastIndex = 0;
	return RAW_IN_JSON.test(json);
}

/**
 * JSON text with those characters written as `\uXXXX` escapes: the same JSON value, safe to
 * print. (They are never JSON syntax, so they can only stand inside strings, where an escape
 * means the same character.) Returns the same string when there is nothing to escape.
 */
export function escapeJsonForTerminal(json: string): string {
	if (!hasRawTerminalControls(json)) return json;
	return json.replace(RAW_IN_JSON, hex4);
}

/**
 * Text for the screen with every unsafe character replaced by a visible stand-in: C0 by its
 * control picture (U+2400 + code, e.g. ␛ for ESC), DEL by ␡, SOFT HYPHEN by the hyphen terminals
 * draw for it, and the rest (C1, bidi and separator controls, the Hangul fillers) by the
 * replacement character �. One column each, measured as drawn, so layouts hold.
 */
export function showControls(text: string): string {
	UNSAFE.lastIndex = 0;
	if (!UNSAFE.test(text)) return text;
	return text.replace(UNSAFE, standIn);
}

/** The visible stand-in of one unsafe character (see showControls). */
function standIn(c: string): string {
	const code = c.charCodeAt(0);
	if (code < 0x20) return String.fromCharCode(0x2400 + code);
	if (code === 0x7f) return '\u2421';
	if (code === 0xad) return '-';
	return '\ufffd';
}

/** Line breaks and tabs: TAB, LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
function isBreak(code: number): boolean {
	return (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0x2028 || code === 0x2029;
}

/**
 * showControls for text laid out on one line (a list cell, a title): line breaks and tabs stand
 * for a space there, so they become one; every other unsafe character gets its stand-in as in
 * showControls. Returns the same string when there is nothing to replace.
 */
export function showControlsInLine(text: string): string {
	UNSAFE.lastIndex = 0;
	if (!UNSAFE.test(text)) return text;
	return text.replace(UNSAFE, (c) => (isBreak(c.charCodeAt(0)) ? ' ' : standIn(c)));
}
