/**
 * The last line: the line being edited (search, filter, export path) with its error, else a
 * notice (export written, …), else the most useful keys for the current view.
 */
import React from 'react';
import {Text, usePaint} from '../text/Text.js';
import type {UiState} from '../app/ui-state.js';
import {showControlsInLine} from '../../core/terminal-safe.js';
import {cutStart, fit, textWidth} from '../text/cells.js';
import {screenLine} from '../text/screen-line.js';

interface Props {
	state: UiState;
	hints: string;
	width: number;
}

function editLine(state: UiState): {label: string; text: string} | null {
	switch (state.mode) {
		case 'search':
			return {label: '/', text: showControlsInLine(state.search.input)};
		case 'filter':
			return {label: 'filter: ', text: showControlsInLine(state.filter.input)};
		case 'export':
			return {label: 'export to: ', text: showControlsInLine(state.exportPath)};
		default:
			return null;
	}
}

export function Footer({state, hints, width}: Props) {
	const edit = editLine(state);
	// The typing cursor: an inverse cell, `_` where the terminal gets no styles.
	const plain = usePaint() === 'plain';
	if (edit) {
		const after =
			state.mode === 'filter' && state.filter.error ? `  ✖ ${screenLine(state.filter.error)}` : `  ${hints}`;
		// The text being edited comes first; the hint gets what is left.
		const room = Math.max(1, width - textWidth(edit.label) - 1);
		// Show the end of a long input, where the typing happens.
		const text = cutStart(edit.text, room);
		const tail = fit(after, Math.max(0, width - textWidth(edit.label) - textWidth(text) - 1));
		return (
			<Text wrap="truncate-end">
				<Text color="cyan" bold>
					{edit.label}
				</Text>
				<Text>{text}</Text>
				{plain ? '_' : <Text inverse> </Text>}
				<Text color={state.filter.error && state.mode === 'filter' ? 'red' : 'gray'}>{tail}</Text>
			</Text>
		);
	}
	if (state.notice) {
		return (
			<Text
				wrap="truncate-end"
				color={
					/failed|error|cannot/i.test(state.notice)
						? 'red'
						: state.notice.startsWith('⚠')
							? 'yellow'
							: 'green'
				}
			>
				{fit(screenLine(state.notice), width)}
			</Text>
		);
	}
	return (
		<Text wrap="truncate-end" dimColor>
			{fit(hints, width)}
		</Text>
	);
}
