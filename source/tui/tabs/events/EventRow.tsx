/**
 * One line of the events list: fixed-width cells, colour by kind, search matches highlighted.
 */
import React from 'react';
import {Text} from 'ink';
import type {EventRecord} from '../../../core/record.js';
import type {SearchHit} from '../../../core/search.js';
import {cellText, fit, type Column} from './columns.js';
import {kindColor, kindOf} from './kinds.js';

interface Props {
	record: EventRecord;
	columns: readonly Column[];
	selected: boolean;
	hit?: SearchHit;
}

interface Segment {
	text: string;
	mark: boolean;
}

/** Splits the (already fitted) summary into marked and unmarked parts. */
function segments(text: string, original: string, hit: SearchHit | undefined): Segment[] {
	if (!hit || hit.summaryRanges.length === 0 || !original.startsWith(text.replace(/[ …]+$/, ''))) return [{text, mark: false}];
	const out: Segment[] = [];
	let at = 0;
	for (const [start, end] of hit.summaryRanges) {
		if (start >= text.length) break;
		const stop = Math.min(end + 1, text.length);
		if (start > at) out.push({text: text.slice(at, start), mark: false});
		if (stop > Math.max(start, at)) out.push({text: text.slice(Math.max(start, at), stop), mark: true});
		at = Math.max(at, stop);
	}
	if (at < text.length) out.push({text: text.slice(at), mark: false});
	return out;
}

function EventRowView({record, columns, selected, hit}: Props) {
	const kind = kindOf(record);
	const color = kindColor[kind];
	const cell = (column: Column) => {
		const last = column.id === 'summary';
		const width = last ? column.width : column.width - 1;
		return fit(cellText(record, column.id, width), width) + (last ? '' : ' ');
	};
	// Few text nodes per row: the dim leading cells are one node, each coloured cell another.
	let dim = '';
	const parts: React.ReactNode[] = [];
	const flushDim = () => {
		if (dim === '') return;
		parts.push(
			<Text key={`dim-${parts.length}`} dimColor={!selected}>
				{dim}
			</Text>,
		);
		dim = '';
	};
	for (const column of columns) {
		const text = cell(column);
		switch (column.id) {
			case 'seq':
			case 'time':
			case 'session':
				dim += text;
				break;
			case 'type':
				flushDim();
				parts.push(
					<Text key="type" color={color} bold={kind === 'error' || kind === 'prompt'}>
						{text}
					</Text>,
				);
				break;
			case 'tool':
				flushDim();
				parts.push(text);
				break;
			case 'agent':
				flushDim();
				parts.push(
					<Text key="agent" color="magenta">
						{text}
					</Text>,
				);
				break;
			case 'summary': {
				flushDim();
				const summaryColor = kind === 'error' || kind === 'prompt' || kind === 'attention' ? color : undefined;
				const pieces = segments(text, record.summary, hit);
				parts.push(
					<Text key="summary" color={summaryColor}>
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
					</Text>,
				);
				break;
			}
		}
	}
	return (
		<Text wrap="truncate-end" inverse={selected}>
			{/* The gutter marks the cursor also where colours are off (NO_COLOR, CI). */}
			{selected ? '›' : ' '}
			{parts}
		</Text>
	);
}

export const EventRow = React.memo(EventRowView);
