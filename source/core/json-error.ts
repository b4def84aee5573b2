/**
 * Finds where a JSON text stops being valid, for error messages when V8's message gives no
 * position ("Unexpected token 'o', "not json" is not valid JSON"). Only runs on the error path.
 * Pure.
 *
 * A recursive-descent scanner over one cursor: each function below scans one part of the
 * grammar (whitespace, literals, strings, numbers, objects, arrays) from `cursor.at` and leaves
 * the cursor after it, or stops the scan where the text goes wrong.
 */

const MAX_DEPTH = 512;

/** The text being scanned and the index of the next character to read. */
interface Cursor {
	readonly text: string;
	at: number;
}

/** Thrown to end the scan at the character that makes the text invalid. */
class Stop {
	constructor(readonly at: number) {}
}

function fail(cursor: Cursor): never {
	throw new Stop(cursor.at);
}

/** The character under the cursor ('' past the end). */
function peek(cursor: Cursor): string {
	return cursor.text.charAt(cursor.at);
}

/** Steps over `char`, or stops the scan there. */
function expect(cursor: Cursor, char: string): void {
	if (peek(cursor) !== char) fail(cursor);
	cursor.at++;
}

function skipWhitespace(cursor: Cursor): void {
	const {text} = cursor;
	while (cursor.at < text.length) {
		const c = text.charCodeAt(cursor.at);
		if (c === 32 || c === 9 || c === 10 || c === 13) cursor.at++;
		else break;
	}
}

/** `true`, `false` or `null`: stops at the first character that differs from `word`. */
function scanLiteral(cursor: Cursor, word: string): void {
	for (const char of word) expect(cursor, char);
}

/** One escape, the cursor on the character after the backslash. */
function scanEscape(cursor: Cursor): void {
	const {text} = cursor;
	const e = peek(cursor);
	if (e === 'u') {
		for (let k = 1; k <= 4; k++) {
			if (!/[0-9a-fA-F]/.test(text.charAt(cursor.at + k))) {
				cursor.at += k;
				fail(cursor);
			}
		}
		cursor.at += 5;
	} else if (e !== '' && '"\\/bfnrt'.includes(e)) cursor.at++;
	else fail(cursor);
}

/** A string, the cursor on its opening quote. */
function scanString(cursor: Cursor): void {
	const {text} = cursor;
	cursor.at++;
	for (;;) {
		if (cursor.at >= text.length) fail(cursor);
		const c = text.charCodeAt(cursor.at);
		if (c === 34) {
			cursor.at++;
			return;
		}
		if (c < 0x20) fail(cursor);
		cursor.at++;
		if (c === 92) scanEscape(cursor);
	}
}

/** One or more decimal digits. */
function scanDigits(cursor: Cursor): void {
	const {text} = cursor;
	const start = cursor.at;
	while (cursor.at < text.length && text.charCodeAt(cursor.at) >= 48 && text.charCodeAt(cursor.at) <= 57)
		cursor.at++;
	if (cursor.at === start) fail(cursor);
}

/** A number: sign, integer part (no leading zero), fraction, exponent. */
function scanNumber(cursor: Cursor): void {
	if (peek(cursor) === '-') cursor.at++;
	if (peek(cursor) === '0') cursor.at++;
	else scanDigits(cursor);
	if (peek(cursor) === '.') {
		cursor.at++;
		scanDigits(cursor);
	}
	if (peek(cursor) === 'e' || peek(cursor) === 'E') {
		cursor.at++;
		if (peek(cursor) === '+' || peek(cursor) === '-') cursor.at++;
		scanDigits(cursor);
	}
}

/** After an element: steps over `,` (true: another follows) or the closing `close` (false). */
function scanSeparator(cursor: Cursor, close: string): boolean {
	skipWhitespace(cursor);
	const c = peek(cursor);
	if (c !== ',' && c !== close) fail(cursor);
	cursor.at++;
	return c === ',';
}

/** An object, the cursor on its `{`. */
function scanObject(cursor: Cursor, depth: number): void {
	cursor.at++;
	skipWhitespace(cursor);
	if (peek(cursor) === '}') {
		cursor.at++;
		return;
	}
	do {
		skipWhitespace(cursor);
		if (peek(cursor) !== '"') fail(cursor);
		scanString(cursor);
		skipWhitespace(cursor);
		expect(cursor, ':');
		scanValue(cursor, depth + 1);
	} while (scanSeparator(cursor, '}'));
}

/** An array, the cursor on its `[`. */
function scanArray(cursor: Cursor, depth: number): void {
	cursor.at++;
	skipWhitespace(cursor);
	if (peek(cursor) === ']') {
		cursor.at++;
		return;
	}
	do scanValue(cursor, depth + 1);
	while (scanSeparator(cursor, ']'));
}

/** Any value, after optional whitespace. */
function scanValue(cursor: Cursor, depth: number): void {
	if (depth > MAX_DEPTH) fail(cursor);
	skipWhitespace(cursor);
	const c = peek(cursor);
	if (c === '{') scanObject(cursor, depth);
	else if (c === '[') scanArray(cursor, depth);
	else if (c === '"') scanString(cursor);
	else if (c === 't') scanLiteral(cursor, 'true');
	else if (c === 'f') scanLiteral(cursor, 'false');
	else if (c === 'n') scanLiteral(cursor, 'null');
	else if (c === '-' || (c >= '0' && c <= '9')) scanNumber(cursor);
	else fail(cursor);
}

/** UTF-16 index of the first character that makes `text` invalid JSON (text.length if it ends early); -1 when valid. */
export function jsonErrorOffset(text: string): number {
	const cursor: Cursor = {text, at: 0};
	try {
		scanValue(cursor, 0);
		skipWhitespace(cursor);
		return cursor.at < text.length ? cursor.at : -1;
	} catch (error) {
		if (error instanceof Stop) return Math.min(error.at, text.length);
		throw error;
	}
}

/** How deep (objects and arrays inside each other) a JSON text may nest before it is refused. */
export const JSON_MAX_DEPTH = MAX_DEPTH;

/**
 * In a valid JSON text, the offset of the `{` or `[` that opens a level deeper than `max`, or -1.
 * JSON.parse takes any depth, but the recursive code that then walks or re-serialises the value
 * (JSON.stringify among it) runs out of stack: such a text is refused with this place instead.
 * A loop over the characters (strings skipped), so it has no depth limit of its own.
 */
export function jsonDepthOffset(text: string, max = MAX_DEPTH): number {
	let depth = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text.charCodeAt(i);
		if (char === 0x22) {
			// A string: to its closing quote, stepping over escapes.
			for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
		} else if (char === 0x7b || char === 0x5b) {
			if (++depth > max) return i;
		} else if (char === 0x7d || char === 0x5d) depth--;
	}
	return -1;
}
