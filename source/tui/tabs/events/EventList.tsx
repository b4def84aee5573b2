/**
 * The events list: a title line (column names on the left; position, follow, "N new", pause
 * and search/filter state on the right) and only the rows that fit on screen.
 */
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {Text} from '../../text/Text.js';
import type {UiState} from '../../app/ui-state.js';
import {newSinceLeft} from '../../list/list-nav.js';
import {screenLine} from '../../text/screen-line.js';
import {fit, textWidth} from '../../text/cells.js';
import {columnsFor} from './columns.js';
import {EventColumns} from './EventColumns.js';

interface Props {
	state: UiState;
	width: number;
}

function statusText(state: UiState): string {
	const {items} = state.shown;
	const parts: string[] = [];
	if (state.search.applied)
		parts.push(
			`/${screenLine(state.search.applied)}: ${items.length} match${items.length === 1 ? '' : 'es'}`,
		);
	if (state.filter.applied) parts.push('filtered');
	parts.push(items.length === 0 ? '0/0' : `${state.cursor + 1}/${items.length}`);
	if (state.paused)
		parts.push(`⏸ paused · ${Math.max(0, state.latest.received - state.shown.received)} pending`);
	else if (state.follow) parts.push('follow');
	else {
		const fresh = newSinceLeft(state);
		parts.push(fresh > 0 ? `▼ ${fresh} new` : 'follow off');
	}
	return parts.join(' · ');
}

export function EventList({state, width}: Props) {
	// One cell of gutter for the cursor mark, then the columns.
	const columns = useMemo(() => columnsFor(width), [width]);
	const titles =
		' ' +
		columns
			.map((c) => fit(c.title, c.id === 'summary' ? c.width : c.width - 1) + (c.id === 'summary' ? '' : ' '))
			.join('');
	let status = ` ${statusText(state)}`;
	if (textWidth(status) > width - 10) status = fit(status, Math.max(0, width - 10));
	const left = fit(titles.trimEnd(), Math.max(0, width - textWidth(status)));
	const {items} = state.shown;
	const visible = items.slice(state.top, state.top + state.rows);
	const badge = state.paused || (!state.follow && newSinceLeft(state) > 0);
	return (
		<Box flexDirection="column" width={width} height={state.rows + 1}>
			<Text wrap="truncate-end">
				<Text dimColor>{left}</Text>
				<Text color={badge ? 'yellow' : 'gray'} bold={badge}>
					{status}
				</Text>
			</Text>
			{visible.length > 0 && (
				<EventColumns
					records={visible}
					columns={columns}
					selected={state.cursor - state.top}
					hits={state.shown.hits}
					width={width}
				/>
			)}
		</Box>
	);
}
