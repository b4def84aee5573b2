/**
 * What every row tab's view shares: the title line's note (search, filter, pause), the detail
 * view of an opened row, the cursor kept inside the rows, and the footer's hints.
 */
import React from 'react';
import type {UiState} from '../app/ui-state.js';
import {modeHints} from '../chrome/mode-hints.js';
import {DetailView} from '../detail/DetailView.js';
import type {TabViewProps} from '../tabs/tab.js';
import {tabCursor} from './row-nav.js';
import {windowStart, type NotePart} from './RowTable.js';

/** The title line's note: what orders the rows (`first`: sort order, root), then what narrows them. */
export function rowNote(state: UiState, rows: number, first?: string): NotePart[] {
	const parts: NotePart[] = [];
	if (first) parts.push({text: first});
	if (state.search.applied)
		parts.push({text: `/${state.search.applied}: ${rows} match${rows === 1 ? '' : 'es'}`, keep: true});
	if (state.filter.applied) parts.push({text: 'filtered', keep: true});
	if (state.paused) parts.push({text: '⏸ paused', keep: true});
	return parts;
}

export const clampCursor = (cursor: number, length: number) => Math.max(0, Math.min(cursor, length - 1));

/** The rows a row tab has on screen (the table's window around the cursor), none while its rows are hidden (help, an open detail). */
export function rowsOnScreen<R>(state: UiState, rows: readonly R[]): readonly R[] {
	if (state.mode === 'help' || state.mode === 'detail') return [];
	const cursor = clampCursor(tabCursor.get(state), rows.length);
	const start = windowStart(rows.length, cursor, state.rows);
	return rows.slice(start, start + state.rows);
}

/** The detail view when a row is open (a call's records, a file's entry), else null. */
export function openDetail({state, width, dispatch}: TabViewProps): React.ReactElement | null {
	if (state.mode !== 'detail' || state.detail.value === undefined) return null;
	return <DetailView state={state} width={width} dispatch={dispatch} />;
}

/** The footer's hints on a row tab: `main` names the tab's own keys (`j/k move · Enter records · o sort`). */
export function rowHints(state: UiState, main: string): string {
	const mode = modeHints(state);
	if (mode !== null) return mode;
	const scope = state.scope ? ' · S unscope' : '';
	if (state.search.applied) return `n/N next/prev match · Esc clear search${scope} · ? help · q quit`;
	return `${main} · / search · f filter${scope} · ? help · q quit`;
}
