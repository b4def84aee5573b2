/**
 * Pretty JSON as coloured, width-wrapped lines for the detail view. JSON.stringify escapes
 * control characters, so nothing in a payload can reach the terminal as a control sequence.
 */
import {cellWidth} from './columns.js';

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

/** Cuts one line into screen lines of at most `width` cells, keeping each piece's colour. */
function wrap(line: Line, width: number): Line[] {
	const out: Line[] = [];
	let current: Line = [];
	let used = 0;
	for (const piece of line) {
		let text = '';
		for (const char of piece.text) {
			const w = cellWidth(char);
			if (used + w > width && used > 0) {
				if (text) current.push({text, color: piece.color});
				out.push(current);
				current = [];
				used = 0;
				text = '';
			}
			text += char;
			used += w;
		}
		if (text) current.push({text, color: piece.color});
	}
	out.push(current);
	return out;
}

/** JSON.stringify leaves DEL, the C1 controls (U+0080–U+009F, e.g. the 8-bit CSI) and the line separators raw: escape them too. */
const unescaped = /[\u007f-\u009f\u2028\u2029]/g;

export function jsonLines(value: unknown, width: number): Line[] {
	const text = (JSON.stringify(value, null, 2) ?? 'undefined').replace(unescaped, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return text.split('\n').flatMap(line => wrap(tokenize(line), Math.max(8, width)));
}
