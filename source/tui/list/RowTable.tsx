/**
 * A windowed table for the derived-view tabs (Tools, Agents, Files, Sessions): a title line, then
 * only the rows that fit, each exactly `width` cells wide: a one-cell gutter that marks the cursor
 * row with `›` (seen without colours or inverse: NO_COLOR, FORCE_COLOR=0, TERM=dumb), then the
 * columns; the cursor row drawn inverse. Never taller than `height`. Columns are chosen by the
 * caller for the width (see each tab).
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../text/Text.js';
import {screenLine} from '../text/screen-line.js';
import {cut, fit, padStart, textWidth} from '../text/cells.js';

export interface TableColumn<R> {
	id: string;
	title: string;
	/** Cells including one space of gap; 0 = takes what the fixed columns leave. */
	width: number;
	align?: 'left' | 'right';
	cell: (row: R) => string;
	color?: (row: R) => string | undefined;
	dim?: boolean;
}

interface Piece {
	text: string;
	color: string | undefined;
	dim: boolean;
}

export interface RowTableProps<R> {
	rows: readonly R[];
	columns: ReadonlyArray<TableColumn<R>>;
	cursor: number;
	width: number;
	height: number;
	rowKey: (row: R) => string;
	/** Colour of the whole row (e.g. red for a failed call); cells' own colours win. */
	rowColor?: (row: R) => string | undefined;
	/** Rows that must stand out (bold). */
	rowBold?: (row: R) => boolean;
	/** Shown when there are no rows. */
	empty: string;
	/** Extra text for the right of the title line (sort order, scope, pause): see TitleNote. */
	note?: TitleNote;
}

/**
 * A part of the title line's note. `keep`: it says what the rows are (paused, filtered, a
 * search) and stays on the line when little room is left; the others (sort order, root) and the
 * position give way first.
 */
export interface NotePart {
	text: string;
	keep?: boolean;
}

/** The note: its parts, or one text that gives way like the sort order. */
export type TitleNote = string | readonly NotePart[];

/** First visible row index: keeps the cursor in view, roughly centred, and the window full. */
export function windowStart(count: number, cursor: number, visible: number): number {
	if (visible <= 0 || count <= visible) return 0;
	const c = Math.min(Math.max(0, cursor), count - 1);
	return Math.min(Math.max(0, c - Math.floor(visible / 2)), count - visible);
}

/** Fixed columns keep their width; the flexible one gets the rest (at least 1). */
export function layout<R>(
	columns: ReadonlyArray<TableColumn<R>>,
	width: number,
): Array<TableColumn<R> & {cells: number}> {
	const fixed = columns.reduce((sum, c) => sum + c.width, 0);
	return columns.map((c) => ({...c, cells: c.width === 0 ? Math.max(1, width - fixed) : c.width}));
}

/** One cell, exactly `cells` wide. Every string goes through screenLine: nothing in an event reaches the terminal as a control sequence. */
export function tableCell(
	raw: string,
	cells: number,
	last: boolean,
	align: 'left' | 'right' | undefined,
): string {
	const text = screenLine(raw);
	const inner = last ? cells : cells - 1;
	if (inner <= 0) return last ? '' : ' ';
	const out = align === 'right' ? padStart(cut(text, inner), inner) : fit(text, inner);
	return last ? out : `${out} `;
}

/**
 * The title line: the column titles, and right-aligned in the flexible column the note and the
 * position. Where they do not fit, the note's parts that give way go first (the sort order or root,
 * then the position), the flexible column's title makes room before the note loses more; a note
 * that must stay (paused, filtered, a search) and still does not fit takes the titles right of
 * the flexible column too, cut with `…` at worst. Without such a part the rest is left out.
 */
function titleText<R>(
	laid: ReadonlyArray<TableColumn<R> & {cells: number}>,
	parts: readonly NotePart[],
	position: string,
): string {
	const plain = () =>
		laid.map((c, i) => tableCell(c.title, c.cells, i === laid.length - 1, c.align)).join('');
	const flex = laid.findIndex((c) => c.width === 0);
	if (flex < 0) return plain();
	const join = (shown: readonly NotePart[], withPosition: boolean) => {
		const note = shown.map((part) => screenLine(part.text)).join(' · ');
		return withPosition ? (note ? `${note}  ${position}` : position) : note;
	};
	const kept = parts.filter((part) => part.keep === true);
	// Most wanted first; each as wide as the flexible column's cells, with its title or without.
	const notes = [join(parts, true), join(kept, true), join(kept, false)].filter((n) => n !== '');
	const head = laid
		.slice(0, flex)
		.map((c) => tableCell(c.title, c.cells, false, c.align))
		.join('');
	const column = laid[flex];
	const last = flex === laid.length - 1;
	const inner = last ? column.cells : column.cells - 1;
	const tail = laid
		.slice(flex + 1)
		.map((c, i) => tableCell(c.title, c.cells, flex + 1 + i === laid.length - 1, c.align))
		.join('');
	// The note right-aligned in `cells`, two spaces after the title (or alone), or null where it does not fit.
	const beside = (note: string, cells: number, title: string) => {
		if (title === '') return textWidth(note) <= cells ? padStart(note, cells) : null;
		const room = cells - textWidth(title) - textWidth(note);
		return room >= 2 ? title + ' '.repeat(room) + note : null;
	};
	for (const note of notes)
		for (const title of [column.title, '']) {
			const text = beside(note, inner, title);
			if (text !== null) return head + text + (last ? '' : ' ') + tail;
		}
	if (kept.length === 0) return plain();
	// What must stay takes the rest of the line: the flexible column and the titles right of it.
	const region = laid.slice(flex).reduce((sum, c) => sum + c.cells, 0);
	for (const note of notes.slice(1))
		for (const title of [column.title, '']) {
			const text = beside(note, region, title);
			if (text !== null) return head + text;
		}
	return head + fit(join(kept, false), region);
}

export function RowTable<R>({
	rows,
	columns,
	cursor,
	width,
	height,
	rowKey,
	rowColor,
	rowBold,
	empty,
	note,
}: RowTableProps<R>) {
	if (height <= 0 || width <= 0) return null;
	// One cell is the cursor gutter.
	const inner = width - 1;
	const laid = layout(columns, inner);
	// Where the columns fit, the first one (status marks, outside ASCII) is a text node of its own:
	// Ink measures each node's whole text, and plain ASCII text is measured on a fast path.
	const split = laid.length > 1 && laid.reduce((sum, c) => sum + c.cells, 0) <= inner;
	const showTitle = height >= 2;
	const visible = showTitle ? height - 1 : height;
	const start = windowStart(rows.length, cursor, visible);
	const shown = rows.slice(start, start + visible);
	const position = rows.length === 0 ? '0/0' : `${Math.min(cursor, rows.length - 1) + 1}/${rows.length}`;
	const titleLine = titleText(laid, typeof note === 'string' ? [{text: note}] : (note ?? []), position);
	return (
		<Box
			flexDirection="column"
			width={width}
			height={Math.min(height, (showTitle ? 1 : 0) + Math.max(1, shown.length))}
		>
			{showTitle && (
				<Text wrap="truncate-end" bold dimColor>
					{` ${titleLine}`}
				</Text>
			)}
			{rows.length === 0 ? (
				<Text wrap="truncate-end" dimColor>
					{fit(empty, width)}
				</Text>
			) : (
				shown.map((row, i) => {
					const selected = start + i === cursor;
					const base = rowColor?.(row);
					const bold = rowBold?.(row) ?? false;
					// Neighbouring cells drawn alike share one text node (fewer nodes, cheaper frames).
					const head: Piece[] = [];
					const rest: Piece[] = [];
					laid.forEach((c, j) => {
						const text = tableCell(c.cell(row), c.cells, j === laid.length - 1, c.align);
						const color = c.color?.(row) ?? base;
						const dim = c.dim === true && !selected && color === undefined;
						const pieces = j === 0 && split ? head : rest;
						const last = pieces.at(-1);
						if (last && last.color === color && last.dim === dim) last.text += text;
						else pieces.push({text, color, dim});
					});
					const line = (pieces: Piece[], key?: string, gutter?: string) => (
						<Text key={key} wrap="truncate-end" inverse={selected} bold={bold} color={base}>
							{gutter}
							{pieces.map((piece, j) => (
								<Text key={j} color={piece.color} dimColor={piece.dim}>
									{piece.text}
								</Text>
							))}
						</Text>
					);
					const gutter = selected ? '›' : ' ';
					if (head.length === 0) return line(rest, rowKey(row), gutter);
					return (
						<Box key={rowKey(row)} width={width} height={1}>
							{line(head, undefined, gutter)}
							{line(rest)}
						</Box>
					);
				})
			)}
		</Box>
	);
}
