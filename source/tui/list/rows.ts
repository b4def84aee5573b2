/**
 * What the row tabs (Tools, Agents, Files, Sessions) share to choose their rows: each tab's own
 * search, a fuzzy filter over a row's text, and a one-entry memo so the reducer (cursor
 * arithmetic) and the view (drawing) share one computation per snapshot, sort and query.
 */
import Fuse from 'fuse.js';
import type {UiState} from '../app/ui-state.js';
import type {TabId} from '../tabs/registry.js';
import {clip} from '../text/cells.js';
import {screenLine} from '../text/screen-line.js';

/** Cells of the short session marker: rows of several sessions stay apart where the session column does not fit. */
export const SESSION_MARK_CELLS = 4;

/** The first characters of a session id (safe for the screen), as many as fit in `cells`. */
export function sessionMark(session: string | null, cells = SESSION_MARK_CELLS): string {
	return clip(screenLine(session ?? ''), cells);
}

/** The applied search of a tab (the tab on screen keeps it in `state.search`). */
export function searchOf(state: UiState, tab: TabId): string {
	return tab === state.tab ? state.search.applied : (state.searches[tab] ?? '');
}

/** Rows whose text matches `query` fuzzily (fuse.js, the events search's settings), in their order. */
export function fuzzyFilter<R>(rows: readonly R[], query: string, text: (row: R) => string): readonly R[] {
	const q = query.trim();
	if (q === '' || rows.length === 0) return rows;
	const docs = rows.map((row) => ({text: text(row)}));
	const fuse = new Fuse(docs, {
		keys: ['text'],
		ignoreLocation: true,
		threshold: 0.2,
		minMatchCharLength: 2,
		shouldSort: false,
	});
	const hit = new Set(fuse.search(q).map((result) => result.refIndex));
	return rows.filter((_, i) => hit.has(i));
}

/** Remembers the last rows computed from `base` (by identity) and `key`. */
export function rowMemo<R>(): (
	base: readonly unknown[],
	key: string,
	compute: () => readonly R[],
) => readonly R[] {
	let lastBase: readonly unknown[] | null = null;
	let lastKey = '';
	let rows: readonly R[] = [];
	return (base, key, compute) => {
		if (base !== lastBase || key !== lastKey) {
			lastBase = base;
			lastKey = key;
			rows = compute();
		}
		return rows;
	};
}

/** The label of an agent in a row: `main`, its type, or the start of its id. */
export function agentLabel(agent: string, agentType: string | null): string {
	return agent === 'main' ? 'main' : (agentType ?? agent.slice(0, 10));
}
