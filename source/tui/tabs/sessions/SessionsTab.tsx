/**
 * The Sessions tab on screen: its rows with the cursor and the title note.
 */
import React from 'react';
import {tabCursor} from '../../list/row-nav.js';
import {clampCursor, rowNote} from '../../list/row-view.js';
import type {TabViewProps} from '../tab.js';
import {sessionRows} from './session-rows.js';
import {SESSION_USAGE_WIDTH, SessionsTable} from './SessionsTable.js';
import {usageBySession} from '../usage/usage-lookup.js';

export function SessionsTab({state, width, height}: TabViewProps) {
	const rows = sessionRows(state);
	// The usage join's totals only where their columns are on screen, and only once a session has any.
	const known = width >= SESSION_USAGE_WIDTH ? usageBySession(state) : undefined;
	const usage =
		known !== undefined && rows.some((r) => (known.get(r.id)?.basis ?? 'none') !== 'none')
			? known
			: undefined;
	return (
		<SessionsTable
			cleared={state.shown.cleared}
			usage={usage}
			rows={rows}
			cursor={clampCursor(tabCursor.get(state), rows.length)}
			width={width}
			height={height}
			now={state.shown.views.now}
			note={rowNote(state, rows.length)}
		/>
	);
}
