/**
 * Pretty JSON as coloured, width-wrapped lines for the detail view. JSON.stringify escapes C0
 * controls; escapeJsonForTerminal escapes the rest a terminal would act on (DEL, C1, bidi and
 * separator controls) as `\uXXXX`, so nothing in a payload reaches the terminal raw.
 */
import {escapeJsonForTerminal} from '../../core/terminal-safe.js';
import {graphemes} from '../text/cells.js';

export interface Piece {
	text: string;
	color?: string;
}

export type Line = Piece[];

function valuePieces(value: string): Piece[] {
	const comma = value.endsWith(',') ? ',' : '';
	const body = comma ? value.slice(0, -1) : value;
	let color: string | undefined;
	if (body.startsWith('"')) color = 'green';
	else if (/^-?\d/.test(body)) color = 'yellow';
	else if (body === 'true' || body === 'false' || body === 'null') color = 'magenta';
	const pieces: Piece[] = [{text: body, color}];
	if (comma) pieces.push({text: comma});
	return pieces;
}

function tokenize(line: string): Line {
	const match = /^(\s*)("(?:[^"\\]|\\.)*")(: )(.*)$/.exec(line);
	if (!match) {
		const indent = /^\s*/.exec(line)?.[0] ?? '';
		return [{text: indent}, ...valuePieces(line.slice(indent.length))];
	}
	const [, indent, key, colon, rest] = match;
	return [{text: indent}, {text: key, color: 'cyan'}, {text: colon}, ...valuePieces(rest)];
}

/** Printable ASCII: one cell a character, cut anywhere. */
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/;

/** The characters of a piece as a terminal draws them (grapheme clusters), each with its cells. */
function charsOf(text: string): Array<{text: string; width: number}> {
	if (PRINTABLE_ASCII.test(text)) return Array.from(text, (char) => ({text: char, width: 1}));
	return graphemes(text);
}

/** Cuts one line into screen lines of at most `width` cells, keeping each piece's colour; never inside a grapheme cluster. */
function wrap(line: Line, width: number): Line[] {
	const out: Line[] = [];
	let current: Line = [];
	let used = 0;
	for (const piece of line) {
		let text = '';
		for (const char of charsOf(piece.text)) {
			if (used + char.width > width && used > 0) {
				if (text) current.push({text, color: piece.color});
				out.push(current);
				current = [];
				used = 0;
				text = '';
			}
			text += char.text;
			used += char.width;
		}
		if (text) current.push({text, color: piece.color});
	}
	out.push(current);
	return out;
}

/** The pretty JSON text of `value`, safe to print; a value JSON.stringify cannot write (nested too deep for the stack) is said so instead of thrown. */
function prettyJson(value: unknown): string {
	let text: string | undefined;
	try {
		text = JSON.stringify(value, null, 2);
	} catch (error) {
		return `(this value cannot be shown as JSON: ${error instanceof Error ? error.message : String(error)})`;
	}
	return escapeJsonForTerminal(text ?? 'undefined');
}

export function jsonLines(value: unknown, width: number): Line[] {
	return prettyJson(value)
		.split('\n')
		.flatMap((line) => wrap(tokenize(line), Math.max(8, width)));
}
