/**
 * The whole record (or, from the other tabs, a value such as a tool call's records) as pretty,
 * coloured JSON; scrollable; Esc goes back to the list.
 */
import React, {useEffect, useMemo} from 'react';
import {Box} from 'ink';
import {Text} from '../text/Text.js';
import type {Action, UiState} from '../app/ui-state.js';
import {screenLine} from '../text/screen-line.js';
import {fit, textWidth} from '../text/cells.js';
import {jsonLines} from './json-lines.js';

interface Props {
	state: UiState;
	width: number;
	dispatch: (action: Action) => void;
}

export function DetailView({state, width, dispatch}: Props) {
	const {record, scroll, value, title: given} = state.detail;
	const shown = value !== undefined ? value : record;
	const lines = useMemo(
		() => (shown !== null && shown !== undefined ? jsonLines(shown, width) : []),
		[shown, width],
	);
	useEffect(() => {
		dispatch({type: 'detailLines', lines: lines.length});
	}, [lines.length, dispatch]);
	if (shown === null || shown === undefined) return null;
	const visible = lines.slice(scroll, scroll + state.rows);
	const position =
		lines.length <= state.rows
			? 'all'
			: `${scroll + 1}–${Math.min(lines.length, scroll + state.rows)} of ${lines.length}`;
	const right = ` lines ${position} · Esc back`;
	const heading =
		given ??
		(record ? `#${record.seq} ${record.type}${record.tool ? ` ${record.tool}` : ''} · ${record.time}` : '');
	const title = fit(screenLine(heading), Math.max(0, width - textWidth(right)));
	return (
		<Box flexDirection="column" width={width} height={state.rows + 1}>
			<Text wrap="truncate-end">
				<Text bold>{title}</Text>
				<Text dimColor>{right}</Text>
			</Text>
			{visible.map((line, i) => (
				<Text key={scroll + i} wrap="truncate-end">
					{line.length === 0
						? ' '
						: line.map((piece, j) => (
								<Text key={j} color={piece.color}>
									{piece.text}
								</Text>
							))}
				</Text>
			))}
		</Box>
	);
}
