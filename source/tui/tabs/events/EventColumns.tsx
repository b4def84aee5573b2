/**
 * The rows of the events list, drawn column by column: one text node per column holding every
 * visible row's cell (one per line), fixed-width cells, colour by kind, search matches
 * highlighted, the cursor row inverse across the whole width. Column by column, a blank cell or
 * a cell's padding is not written at all (Ink's cost grows with every character it draws).
 */
import React from 'react';
import {Box} from 'ink';
import {Text} from '../../text/Text.js';
import type {EventRecord} from '../../../core/record.js';
import type {SearchHit} from '../../../core/search.js';
import {fit, graphemes} from '../../text/cells.js';
import {cellText, type Column} from './columns.js';
import {kindColor, kindOf} from './kinds.js';

interface Props {
	records: readonly EventRecord[];
	columns: readonly Column[];
	/** Index in `records` of the cursor row, or -1. */
	selected: number;
	hits: ReadonlyMap<EventRecord, SearchHit>;
	width: number;
}

interface Segment {
	text: string;
	mark: boolean;
}

/**
 * Splits the (already fitted) summary into marked and unmarked parts. fuse.js gives ranges in
 * UTF-16 units of the original summary: each is widened to whole characters (never half a
 * surrogate pair or an emoji sequence), and the `…` that ends a cut summary is never marked.
 */
export function segments(text: string, original: string, hit: SearchHit | undefined): Segment[] {
	const kept = text.replace(/[ …]+$/, '');
	if (!hit || hit.summaryRanges.length === 0 || !original.startsWith(kept)) return [{text, mark: false}];
	const bounds = [0];
	for (const cluster of graphemes(kept)) bounds.push(bounds.at(-1)! + cluster.text.length);
	const down = (at: number) => {
		let best = 0;
		for (const b of bounds) if (b <= at) best = b;
		return best;
	};
	const up = (at: number) => bounds.find((b) => b >= at) ?? kept.length;
	const out: Segment[] = [];
	let at = 0;
	for (const [first, last] of hit.summaryRanges) {
		if (first >= kept.length) break;
		const start = down(first);
		const stop = up(Math.min(last + 1, kept.length));
		if (start > at) out.push({text: text.slice(at, start), mark: false});
		if (stop > Math.max(start, at)) out.push({text: text.slice(Math.max(start, at), stop), mark: true});
		at = Math.max(at, stop);
	}
	if (at < text.length) out.push({text: text.slice(at), mark: false});
	return out;
}

/** One cell, exactly its column wide when `full` (the cursor row's inverse bar, or one line per row); else without its trailing blanks. */
function cellOf(record: EventRecord, column: Column, full: boolean): string {
	const last = column.id === 'summary';
	const width = last ? column.width : column.width - 1;
	const text = fit(cellText(record, column.id, width), width) + (last ? '' : ' ');
	return full ? text : text.trimEnd();
}

function cellNode(
	record: EventRecord,
	column: Column,
	selected: boolean,
	hit: SearchHit | undefined,
	key: number,
	full = selected,
): React.ReactNode {
	const text = cellOf(record, column, full);
	const kind = kindOf(record);
	const color = kindColor[kind];
	switch (column.id) {
		case 'seq':
		case 'time':
		case 'session':
			return (
				<Text key={key} dimColor={!selected} inverse={selected}>
					{text}
				</Text>
			);
		case 'type':
			return (
				<Text key={key} color={color} bold={kind === 'error' || kind === 'prompt'} inverse={selected}>
					{text}
				</Text>
			);
		case 'tool':
			return (
				<Text key={key} inverse={selected}>
					{text}
				</Text>
			);
		case 'agent':
			return (
				<Text key={key} color="magenta" inverse={selected}>
					{text}
				</Text>
			);
		case 'summary': {
			const summaryColor = kind === 'error' || kind === 'prompt' || kind === 'attention' ? color : undefined;
			const pieces = segments(text, record.summary, hit);
			return (
				<Text key={key} color={summaryColor} inverse={selected}>
					{pieces.length === 1 && !pieces[0].mark
						? pieces[0].text
						: pieces.map((segment, i) =>
								segment.mark ? (
									<Text key={i} backgroundColor="yellow" color="black">
										{segment.text}
									</Text>
								) : (
									segment.text
								),
							)}
				</Text>
			);
		}
	}
}

/** The lines of one column, `\n` between rows. */
function columnLines(
	records: readonly EventRecord[],
	cell: (record: EventRecord, i: number) => React.ReactNode,
): React.ReactNode[] {
	const out: React.ReactNode[] = [];
	records.forEach((record, i) => {
		if (i > 0) out.push('\n');
		out.push(cell(record, i));
	});
	return out;
}

export function EventColumns({records, columns, selected, hits, width}: Props) {
	if (columns.reduce((sum, c) => sum + c.width, 1) > width) {
		// Narrower than the fixed columns: one line per row, cut at the edge.
		return (
			<Box flexDirection="column" height={records.length} flexShrink={0}>
				{records.map((record, i) => (
					<Text key={i} wrap="truncate-end" inverse={i === selected}>
						{i === selected ? '›' : ' '}
						{columns.map((column, j) => cellNode(record, column, i === selected, hits.get(record), j, true))}
					</Text>
				))}
			</Box>
		);
	}
	return (
		<Box height={records.length} flexShrink={0}>
			{/* The gutter marks the cursor also where colours are off (NO_COLOR, CI). */}
			<Box width={1} flexShrink={0}>
				<Text>
					{columnLines(records, (_, i) =>
						i === selected ? (
							<Text key={i} inverse>
								›
							</Text>
						) : (
							' '
						),
					)}
				</Text>
			</Box>
			{columns.map((column) => (
				<Box key={column.id} width={column.width} flexShrink={0}>
					<Text>
						{columnLines(records, (record, i) =>
							cellNode(record, column, i === selected, hits.get(record), i),
						)}
					</Text>
				</Box>
			))}
		</Box>
	);
}
