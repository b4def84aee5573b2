/**
 * Which columns the events list shows at a width (after a one-cell cursor gutter), how wide each is, and what each row says.
 * Columns drop as the pane narrows: usable at 60 columns, everything at 120+.
 */
import {typeLabels} from '../../../core/event-types.js';
import type {EventRecord} from '../../../core/record.js';
import {shortSession} from '../../../core/search.js';
import {formatClock} from '../../../core/views/format.js';
import {cut, textWidth} from '../../text/cells.js';
import {screenLine} from '../../text/screen-line.js';
import {clip} from '../../text/cells.js';
import {SESSION_MARK_CELLS} from '../../list/rows.js';

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
	// Narrower, the session's first characters: two sessions' events stay apart at any width.
	columns.push(
		width >= 72
			? {id: 'session', title: 'session', width: 9}
			: {id: 'session', title: 'sess', width: SESSION_MARK_CELLS + 1},
	);
	columns.push({id: 'type', title: 'type', width: width >= 90 ? 19 : 13});
	if (width >= 100) columns.push({id: 'tool', title: 'tool', width: 11});
	if (width >= 120) columns.push({id: 'agent', title: 'agent', width: 16});
	// One cell is the cursor gutter.
	const fixed = columns.reduce((sum, c) => sum + c.width, 1);
	columns.push({id: 'summary', title: 'summary', width: Math.max(1, width - fixed)});
	return columns;
}

/** What a record's text columns show, made safe for the screen (screenLine) once per record. */
export interface RecordCells {
	session: string;
	/** The type's labels, widest first: its name, then its short label if it has one (core/event-types). */
	types: readonly string[];
	tool: string;
	agent: string;
	summary: string;
}

const cellsOf = new WeakMap<EventRecord, RecordCells>();

export function recordCells(record: EventRecord): RecordCells {
	let cells = cellsOf.get(record);
	if (cells === undefined) {
		cells = {
			session: screenLine(shortSession(record.session)) || '-',
			types: typeLabels(record.type).map(screenLine),
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
			return formatClock(record.time);
		case 'session':
			return width < 8 ? clip(recordCells(record).session, width) : recordCells(record).session;
		case 'type':
			return typeCell(recordCells(record).types, width);
		default:
			return recordCells(record)[id];
	}
}

/**
 * The type as `width` cells show it: the full name where it fits, else its short label, else the
 * name cut with `…` (the filter reads a trailing `…` as "starts with"), so whatever the column
 * shows can be typed back as `type:…`.
 */
export function typeCell(labels: readonly string[], width: number): string {
	for (const label of labels) if (textWidth(label) <= width) return label;
	return cut(labels[0], width);
}
