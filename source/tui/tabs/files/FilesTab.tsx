/**
 * The Files tab on screen: its rows with the cursor and the title note (the root the paths are
 * relative to first), or a file's entry.
 */
import React from 'react';
import {tabCursor} from '../../list/row-nav.js';
import {clampCursor, openDetail, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {fileRows, placedFiles} from './file-rows.js';
import {FilesTable} from './FilesTable.js';

export function FilesTab(props: TabViewProps) {
	const {state, width, height} = props;
	const open = openDetail(props);
	if (open) return open;
	const rows = fileRows(state);
	const {root, manyRoots} = placedFiles(state);
	// The root the paths are relative to leads the title's note: `in ~/app`.
	const note = rowNote(state, rows.length, root === null ? undefined : `in ${root}`);
	return (
		<FilesTable
			cleared={state.shown.cleared}
			rows={rows}
			cursor={clampCursor(tabCursor.get(state), rows.length)}
			width={width}
			height={height}
			now={state.shown.views.now}
			note={note}
			manyRoots={manyRoots}
		/>
	);
}
