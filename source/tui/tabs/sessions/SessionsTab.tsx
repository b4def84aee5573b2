/**
 * The Sessions tab on screen: its rows with the cursor and the title note.
 */
import React from 'react';
import {tabCursor} from '../../list/row-nav.js';
import {clampCursor, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {sessionRows} from './session-rows.js';
import {SessionsTable} from './SessionsTable.js';

export function SessionsTab({state, width, height}: TabViewProps) {
	const rows = sessionRows(state);
	return <SessionsTable rows={rows} cursor={clampCursor(tabCursor.get(state), rows.length)} width={width} height={height} now={state.shown.views.now} note={rowNote(state, rows.length)} />;
}
