/**
 * Text on its way to the screen. Everything the TUI draws that came from outside the program (an
 * event's fields, the server's messages, a file name, what the user typed) passes through
 * `screenLine`: one line, bounded, and nothing in it a terminal would act on (C0 and C1 controls,
 * DEL, bidi and separator controls become visible stand-ins: core/terminal-safe). Callers apply
 * it where a row's text is built, not per frame.
 */
import {showControlsInLine} from '../../core/terminal-safe.js';
import {ellipsize, flatten} from '../../core/text.js';

/** Longer text is cut first: no line of the screen is this wide, and the work per string stays bounded. */
export const SCREEN_LINE_MAX = 1000;

/** A UTF-16 surrogate without its pair (with the `u` flag a pair is one code point and does not match). */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/**
 * One line of safe text: cut to SCREEN_LINE_MAX, breaks and tabs as spaces, controls shown,
 * trimmed, a lone surrogate as U+FFFD: the terminal draws one cell for it where string-width
 * (Ink's measure) counts none, so it would widen the row past its measure and wrap it.
 */
export function screenLine(text: string): string {
	const line = flatten(showControlsInLine(ellipsize(text, SCREEN_LINE_MAX)));
	return LONE_SURROGATE.test(line) ? line.replace(LONE_SURROGATES, '\uFFFD') : line;
}
