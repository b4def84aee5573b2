/**
 * Which columns the events list shows at a width (after a one-cell cursor gutter), how wide each is, and what each row says.
 * Columns drop as the pane narrows: usable at 60 columns, everything at 120+.
 */
import type {EventRecord} from '../../../core/record.js';
import {shortSession} from '../../../core/search.js';
import {screenLine} from '../../text/screen-line.js';

export type ColumnId = 'seq' | 'time' | 'session' | 'type' | 'tool' | 'agent' | 'summary';

export interface Column {
	id: ColumnId;
	title: string;
	/** Fixed width (with one space of gap after it); the summary takes what is left. */
	width: number;
}

export function columnsFor(width: number): Column[] {
	const columns: Column[] = [];
	if (width >= 120) columns.push({id: 'seq', title: 'seq', width: 7});
	columns.push({id: 'time', title: 'time', width: 9});
	if (width >= 72) columns.push({id: 'session', title: 'session', width: 9});
	columns.push({id: 'type', title: 'type', width: width >= 90 ? 19 : 13});
	if (width >= 100) columns.push({id: 'tool', title: 'tool', width: 11});
	if (width >= 120) columns.push({id: 'agent', title: 'agent', width: 16});
	// One cell is the cursor gutter.
	const fixed = columns.reduce((sum, c) => sum + c.width, 1);
	columns.push({id: 'summary', title: 'summary', width: Math.max(1, width - fixed)});
	return columns;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time of an ISO stamp, `HH:MM:SS`. */
export function clock(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '--:--:--';
	return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** Short forms of long hook names, so the type column stays narrow. A Map: a type is input and may be any string. */
const shortTypes: ReadonlyMap<string, string> = new Map([
	['PostToolUseFailure', 'PostToolFail'],
	['UserPromptSubmit', 'Prompt'],
	['PermissionRequest', 'Permission'],
	['PermissionDenied', 'PermDenied'],
	['SubagentStart', 'AgentStart'],
	['SubagentStop', 'AgentStop'],
	['SessionStart', 'SessionStrt'],
]);

/** What a record's text columns show, made safe for the screen (screenLine) once per record. */
export interface RecordCells {
	session: string;
	type: string;
	/** The type in a narrow column. */
	shortType: string;
	tool: string;
	agent: string;
	summary: string;
}

const cellsOf = new WeakMap<EventRecord, RecordCells>();

export function recordCells(record: EventRecord): RecordCells {
	let cells = cellsOf.get(record);
	if (cells === undefined) {
		const type = screenLine(record.type);
		const short = shortTypes.get(record.type);
		cells = {
			session: screenLine(shortSession(record.session)) || '-',
			type,
			shortType: short ?? type,
			tool: screenLine(record.tool ?? ''),
			agent: screenLine(record.agentType ?? (record.agentId ? record.agentId.slice(0, 10) : '')),
			summary: screenLine(record.summary),
		};
		cellsOf.set(record, cells);
	}
	return cells;
}

export function cellText(record: EventRecord, id: ColumnId, width: number): string {
	switch (id) {
		case 'seq':
			return String(record.seq);
		case 'time':
			return clock(record.time);
		case 'type': {
			const cells = recordCells(record);
			return width < 19 ? cells.shortType : cells.type;
		}
		default:
			return recordCells(record)[id];
	}
}

/** Cuts or pads plain text to exactly `width` cells (wide characters count as two). */
export function fit(text: string, width: number): string {
	if (width <= 0) return '';
	const full = textWidth(text);
	if (full <= width) return text + ' '.repeat(width - full);
	let out = '';
	let used = 0;
	for (const char of text) {
		const w = cellWidth(char);
		if (used + w > width - 1) break;
		out += char;
		used += w;
	}
	return out + '…' + ' '.repeat(Math.max(0, width - used - 1));
}

/** Terminal cells of one character: 0 for combining marks, 2 for wide East Asian and emoji. */
export function cellWidth(char: string): number {
	const code = char.codePointAt(0) ?? 0;
	if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
	if (code >= 0x300 && code <= 0x36f) return 0;
	if (code === 0x200b || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
	if (
		(code >= 0x1100 && code <= 0x115f) ||
		(code >= 0x2e80 && code <= 0xa4cf) ||
		(code >= 0xac00 && code <= 0xd7a3) ||
		(code >= 0xf900 && code <= 0xfaff) ||
		(code >= 0xfe30 && code <= 0xfe4f) ||
		(code >= 0xff00 && code <= 0xff60) ||
		(code >= 0xffe0 && code <= 0xffe6) ||
		(code >= 0x1f300 && code <= 0x1faff) ||
		(code >= 0x20000 && code <= 0x3fffd)
	)
		return 2;
	return 1;
}

/** Terminal cells of a string. */
export function textWidth(text: string): number {
	let used = 0;
	for (const char of text) used += cellWidth(char);
	return used;
}
