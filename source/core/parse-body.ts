/**
 * Splits an HTTP body into event candidates: one JSON object, a JSON array of objects, or
 * NDJSON (one object per line). Every failure carries a specific reason; in an NDJSON batch a
 * bad line fails alone while the others stay good. Pure.
 */
import {jsonErrorOffset} from './json-error.js';

/**
 * One event candidate. `raw` is its JSON text; `at` is where `raw` starts in the text that was
 * parsed (after a leading byte order mark is dropped) when `raw` is a slice of it, else undefined.
 */
export type BodyItem =
	| {ok: true; value: unknown; raw: string; index: number; at: number | undefined}
	| {ok: false; error: string; index: number};

/**
 * `rawIsText`: every item's `raw` is a slice of the body text (one object, NDJSON lines). False
 * for an array, whose items' `raw` is JSON.stringify of the element.
 */
export type ParseBodyResult = {ok: true; items: BodyItem[]; rawIsText: boolean} | {ok: false; error: string};

/** JSON deeper than this is refused before parsing. */
export const MAX_JSON_DEPTH = 64;

const NDJSON_TYPES = new Set([
	'application/x-ndjson',
	'application/ndjson',
	'application/jsonl',
	'application/x-jsonlines',
	'application/jsonlines',
]);

/** True when the content type names NDJSON (parameters such as charset are ignored). */
export function isNdjsonContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	const semi = contentType.indexOf(';');
	return NDJSON_TYPES.has((semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase());
}

/** Article + JSON type name for messages: `a number`, `an array`, `null`. */
export function describeJsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	const t = typeof value;
	if (t === 'object') return 'an object';
	return t === 'undefined' ? 'nothing' : `a ${t}`;
}

/** Bare JSON type name: `number`, `string`, `array`, `null`, `object`, `boolean`. */
export function jsonTypeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when the JSON text in [start, end) nests deeper than `limit`. A linear scan that knows
 * about strings and escapes; no recursion, so a 100k-deep `[[[[…` costs one pass and no stack.
 */
export function exceedsDepth(text: string, limit = MAX_JSON_DEPTH, start = 0, end = text.length): boolean {
	// Fast path: with at most `limit` opening brackets in all (strings included), the depth cannot
	// exceed it. indexOf skips ahead natively, so a typical payload costs a few jumps.
	if (!moreThan(text, '{', '[', limit, start, end)) return false;
	let depth = 0;
	let inString = false;
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92 /* \ */) i++;
			else if (c === 34 /* " */) inString = false;
		} else if (c === 34) {
			inString = true;
		} else if (c === 123 /* { */ || c === 91 /* [ */) {
			if (++depth > limit) return true;
		} else if (c === 125 /* } */ || c === 93 /* ] */) {
			depth--;
		}
	}
	return false;
}

/** Why a binary value is refused: events are JSON, which has no bytes. */
export const BINARY_ERROR =
	'binary data (a Buffer, ArrayBuffer or typed array) is not accepted: events are JSON; send bytes as a string (base64, say)';

/**
 * Why an already-parsed value (a Socket.IO argument, say) cannot be an event, or null when it
 * can: it nests deeper than `limit` — the same measure exceedsDepth takes of JSON text: an
 * object or array inside another counts one level more — or it holds binary data (a Socket.IO
 * binary attachment arrives as a Buffer, which JSON text cannot make; written out it would be
 * one number per byte, past every bound a payload is held to). Iterative, so a value 100,000
 * levels deep costs no stack; it stops at the first problem. Call it before anything recursive
 * (JSON.stringify, a walk).
 */
export function valueProblem(value: unknown, limit = MAX_JSON_DEPTH): string | null {
	if (typeof value !== 'object' || value === null) return null;
	const stack: Array<[object, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [node, depth] = stack.pop()!;
		if (depth > limit) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
		if (ArrayBuffer.isView(node) || node instanceof ArrayBuffer || node instanceof SharedArrayBuffer)
			return BINARY_ERROR;
		const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
		for (const child of children)
			if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
	}
	return null;
}

/** True when `a` and `b` occur more than `limit` times together in text[start, end). */
function moreThan(text: string, a: string, b: string, limit: number, start: number, end: number): boolean {
	let count = 0;
	for (let i = text.indexOf(a, start); i !== -1 && i < end; i = text.indexOf(a, i + 1))
		if (++count > limit) return true;
	for (let i = text.indexOf(b, start); i !== -1 && i < end; i = text.indexOf(b, i + 1))
		if (++count > limit) return true;
	return false;
}

/** UTF-8 byte length of text[0, end). */
export function utf8Offset(text: string, end: number): number {
	let bytes = 0;
	for (let i = 0; i < end && i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				bytes += 4;
				i++;
			} else bytes += 3;
		} else bytes += 3;
	}
	return bytes;
}

function cleanMessage(message: string): string {
	return message
		.replace(/ ?(?:in JSON )?at position \d+/, '')
		.replace(/[\u0000-\u001f\u007f]+/g, ' ')
		.trim();
}

type Parsed = {ok: true; value: unknown} | {ok: false; error: string};

/** Parses one JSON text; `error` is `not JSON at byte N (reason)` or the depth message. */
function parseOne(text: string, limit = MAX_JSON_DEPTH): Parsed {
	if (exceedsDepth(text, limit))
		return {ok: false, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`};
	try {
		return {ok: true, value: JSON.parse(text)};
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const position = /at position (\d+)/.exec(message);
		const at = position ? Number(position[1]) : jsonErrorOffset(text);
		return {ok: false, error: `not JSON at byte ${utf8Offset(text, at)} (${cleanMessage(message)})`};
	}
}

function objectItem(
	value: unknown,
	raw: string,
	index: number,
	label: string,
	at: number | undefined,
): BodyItem {
	if (isPlainObject(value)) return {ok: true, value, raw, index, at};
	return {
		ok: false,
		error: `${label} ${index}: expected a JSON object, got ${describeJsonType(value)}`,
		index,
	};
}

/** `!`…`~`: no whitespace in it (JavaScript's trim removes only code units ≤ 0x20 or ≥ 0xa0). NaN (past the end) is not. */
function isVisibleAscii(code: number): boolean {
	return code > 0x20 && code < 0x7f;
}

/** One item per non-blank line; index = 1-based line number. */
function parseLines(text: string): BodyItem[] {
	const items: BodyItem[] = [];
	let lineNo = 0;
	let start = 0;
	while (start <= text.length) {
		let end = text.indexOf('\n', start);
		if (end === -1) end = text.length;
		lineNo++;
		let line = text.slice(start, end);
		if (line.endsWith('\r')) line = line.slice(0, -1);
		let at = start;
		// Printable ASCII at both ends (the usual `{…}`) is not whitespace: nothing to trim.
		if (!(isVisibleAscii(line.charCodeAt(0)) && isVisibleAscii(line.charCodeAt(line.length - 1)))) {
			const trimmed = line.trimStart();
			at += line.length - trimmed.length;
			line = trimmed.trimEnd();
		}
		if (line !== '') {
			const parsed = parseOne(line);
			items.push(
				parsed.ok
					? objectItem(parsed.value, line, lineNo, 'line', at)
					: {ok: false, error: `line ${lineNo}: ${parsed.error}`, index: lineNo},
			);
		}
		start = end + 1;
	}
	return items;
}

function hasSeveralLines(text: string): boolean {
	const first = text.indexOf('\n');
	return first !== -1 && text.slice(first + 1).trim() !== '';
}

/**
 * Splits a body into event candidates.
 * - one JSON object → one item (index 0);
 * - a JSON array → one item per element (index = array index, raw = JSON.stringify(element));
 * - NDJSON (by content type, or several lines that are not one JSON value) → one item per
 *   non-blank line (index = 1-based line number).
 */
export function parseBody(text: string, contentType?: string): ParseBodyResult {
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const body = text.trim();
	if (body === '') return {ok: false, error: 'body is empty'};
	if (isNdjsonContentType(contentType)) return {ok: true, items: parseLines(text), rawIsText: true};

	// An array of events gets one level more, for itself: each event in it is held to the same limit as a single one.
	const isArray = body.startsWith('[');
	if (isArray && exceedsDepth(body, MAX_JSON_DEPTH + 1)) {
		// Some element is too deep: refuse those alone, found by one scan of the text, never parsed.
		const items = arrayItemsByText(body);
		if (items) return {ok: true, items, rawIsText: false};
	}
	const parsed = parseOne(body, isArray ? MAX_JSON_DEPTH + 1 : MAX_JSON_DEPTH);
	if (!parsed.ok) {
		if (hasSeveralLines(body)) {
			const items = parseLines(text);
			// Only call it NDJSON when at least one line is an event; otherwise the body was one
			// broken JSON value spread over lines, and the whole-body reason is the useful one.
			if (items.some((item) => item.ok)) return {ok: true, items, rawIsText: true};
		}
		return {ok: false, error: parsed.error.startsWith('not JSON') ? `body is ${parsed.error}` : parsed.error};
	}
	const value = parsed.value;
	if (isPlainObject(value))
		return {
			ok: true,
			items: [{ok: true, value, raw: body, index: 0, at: text.length - text.trimStart().length}],
			rawIsText: true,
		};
	if (Array.isArray(value)) {
		return {
			ok: true,
			items: value.map((element, index) =>
				objectItem(element, JSON.stringify(element) ?? 'null', index, 'item', undefined),
			),
			rawIsText: false,
		};
	}
	return {
		ok: false,
		error: `body is a JSON ${value === null ? 'null' : typeof value}, expected an object, an array of objects or NDJSON`,
	};
}

/**
 * The elements of a JSON array body, cut from its text by one scan that knows strings and
 * escapes: [start, end) of each element at the top level. Null when the text is not an array of
 * balanced brackets (then the caller's whole-body error applies).
 */
function arrayElementRanges(text: string): Array<[number, number]> | null {
	if (!text.startsWith('[') || !text.endsWith(']')) return null;
	const ranges: Array<[number, number]> = [];
	let depth = 0;
	let inString = false;
	let start = 1;
	const end = text.length - 1;
	for (let i = 1; i < end; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92 /* \ */) i++;
			else if (c === 34 /* " */) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
		else if (c === 125 /* } */ || c === 93 /* ] */) {
			if (--depth < 0) return null;
		} else if (c === 44 /* , */ && depth === 0) {
			ranges.push([start, i]);
			start = i + 1;
		}
	}
	if (inString || depth !== 0) return null;
	if (text.slice(start, end).trim() !== '' || ranges.length > 0) ranges.push([start, end]);
	return ranges;
}

/** Items of an array body, each element parsed alone: one nested too deep is refused without being parsed. */
function arrayItemsByText(body: string): BodyItem[] | null {
	const ranges = arrayElementRanges(body);
	if (ranges === null) return null;
	return ranges.map(([start, end], index) => {
		const text = body.slice(start, end).trim();
		const parsed = parseOne(text);
		if (!parsed.ok) return {ok: false, error: `item ${index}: ${parsed.error}`, index};
		return objectItem(parsed.value, JSON.stringify(parsed.value) ?? 'null', index, 'item', undefined);
	});
}

/**
 * Byte offset of the first invalid UTF-8 sequence in `bytes`, or -1 when all of it is valid.
 * Rejects overlong forms, surrogates, code points above U+10FFFF and truncated sequences.
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
	const n = bytes.length;
	let i = 0;
	while (i < n) {
		const b = bytes[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			if (i + 1 >= n || (bytes[i + 1] & 0xc0) !== 0x80) return i;
			i += 2;
		} else if (b >= 0xe0 && b <= 0xef) {
			if (i + 2 >= n) return i;
			const b1 = bytes[i + 1];
			const lo = b === 0xe0 ? 0xa0 : 0x80;
			const hi = b === 0xed ? 0x9f : 0xbf;
			if (b1 < lo || b1 > hi || (bytes[i + 2] & 0xc0) !== 0x80) return i;
			i += 3;
		} else if (b >= 0xf0 && b <= 0xf4) {
			if (i + 3 >= n) return i;
			const b1 = bytes[i + 1];
			const lo = b === 0xf0 ? 0x90 : 0x80;
			const hi = b === 0xf4 ? 0x8f : 0xbf;
			if (b1 < lo || b1 > hi || (bytes[i + 2] & 0xc0) !== 0x80 || (bytes[i + 3] & 0xc0) !== 0x80) return i;
			i += 4;
		} else {
			return i;
		}
	}
	return -1;
}
