/**
 * The cursor of a row tab (Tools, Agents, Files, Sessions): kept per tab in `tabCursors`, moved
 * within the tab's rows. `rowNav` builds a tab's `TabNav` from how many rows it has, what Enter
 * does and which session a row belongs to.
 */
import type {UiState} from '../app/ui-state.js';
import type {TabNav} from '../tabs/tab.js';

/** Where a tab keeps its cursor (Agents keeps one in an open agent's calls too). */
export interface CursorPlace {
	get(state: UiState): number;
	set(state: UiState, cursor: number): UiState;
}

export const tabCursor: CursorPlace = {
	get: (state) => state.tabCursors[state.tab] ?? 0,
	set: (state, cursor) =>
		cursor === (state.tabCursors[state.tab] ?? 0)
			? state
			: {...state, tabCursors: {...state.tabCursors, [state.tab]: cursor}},
};

export interface RowTab {
	count(state: UiState): number;
	/** Enter on row `cursor`. */
	open(state: UiState, cursor: number): UiState;
	session(state: UiState, cursor: number): string | null;
	cursor?: CursorPlace;
}

export function rowNav(tab: RowTab): TabNav {
	const place = tab.cursor ?? tabCursor;
	const setCursor = (state: UiState, cursor: number): UiState => {
		const length = tab.count(state);
		return place.set(state, length === 0 ? 0 : Math.max(0, Math.min(length - 1, cursor)));
	};
	return {
		move: (state, delta) => setCursor(state, place.get(state) + delta),
		top: (state) => setCursor(state, 0),
		bottom: (state) => setCursor(state, tab.count(state) - 1),
		// The rows hold only matches, so the next match is the next row, wrapping around.
		nextMatch(state, delta) {
			const length = tab.count(state);
			if (!state.search.applied || length === 0) return state;
			return setCursor(state, (place.get(state) + delta + length) % length);
		},
		open: (state) => tab.open(state, place.get(state)),
		selectedSession: (state) => tab.session(state, place.get(state)),
		// A new search: the cursor to the first row (an open agent's calls and the agents both).
		searched: (state) => tabCursor.set(place.set(state, 0), 0),
	};
}
