/**
 * The Tools tab on screen: its rows with the cursor and the title note, or a call's records.
 */
import React from 'react';
import {tabCursor} from '../../list/row-nav.js';
import {clampCursor, openDetail, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {toolRows} from './tool-rows.js';
import {ToolsTable} from './ToolsTable.js';

export function ToolsTab(props: TabViewProps) {
	const {state, width, height} = props;
	const open = openDetail(props);
	if (open) return open;
	const rows = toolRows(state);
	return (
		<ToolsTable
			cleared={state.shown.cleared}
			rows={rows}
			cursor={clampCursor(tabCursor.get(state), rows.length)}
			width={width}
			height={height}
			note={rowNote(state, rows.length, `by ${state.toolSort}`)}
		/>
	);
}
