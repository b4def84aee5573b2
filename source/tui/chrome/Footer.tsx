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

/**
 * Cells the edited text keeps when a filter error shares the line: the end of the input, where the
 * typing happens, and the cursor stay in sight; the error gets the rest of the line.
 */
const INPUT_BESIDE_ERROR = 10;

export function Footer({state, hints, width}: Props) {
	const edit = editLine(state);
	// The typing cursor: an inverse cell, `_` where the terminal gets no styles.
	const plain = usePaint() === 'plain';
	if (edit) {
		const error = state.mode === 'filter' && state.filter.error !== null;
		const after = error ? `  ✖ ${screenLine(state.filter.error ?? '')}` : `  ${hints}`;
		const room = Math.max(1, width - textWidth(edit.label) - 1);
		// A hint gets what the text leaves; an error comes first: the text gives way to it down to
		// its last few cells (cut at its start, where the typing does not happen), or it would not
		// be seen at all once the text fills the line.
		const textRoom = error
			? Math.max(Math.min(textWidth(edit.text), INPUT_BESIDE_ERROR), room - textWidth(after))
			: room;
		const text = cutStart(edit.text, Math.min(room, textRoom));
		const tail = fit(after, Math.max(0, room - textWidth(text)));
		return (
			<Text wrap="truncate-end">
				<Text color="cyan" bold>
					{edit.label}
				</Text>
				<Text color={error ? 'red' : undefined}>{text}</Text>
				{plain ? '_' : <Text inverse> </Text>}
				<Text color={error ? 'red' : 'gray'}>{tail}</Text>
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
