/**
 * The Usage tab's own state: the sort (`o`: by $ / most recent), a session opened with Enter (its
 * prompts and subagents, with a cursor of their own), a prompt opened in it (its tool calls), and
 * going back one level at a time.
 */
import type {UiState} from '../../app/ui-state.js';
import {tabCursor, type CursorPlace} from '../../list/row-nav.js';

/** The cursor on the Usage tab: in an opened prompt's tool calls, else in the opened session's rows, else in the sessions. */
export const usageCursor: CursorPlace = {
	get: (state) => state.openUsage?.prompt?.cursor ?? state.openUsage?.cursor ?? tabCursor.get(state),
	set: (state, cursor) => {
		const open = state.openUsage;
		if (!open) return tabCursor.set(state, cursor);
		if (open.prompt)
			return cursor === open.prompt.cursor
				? state
				: {...state, openUsage: {...open, prompt: {...open.prompt, cursor}}};
		return cursor === open.cursor ? state : {...state, openUsage: {...open, cursor}};
	},
};

export function toggleUsageSort(state: UiState): UiState {
	return {
		...state,
		usageSort: state.usageSort === 'cost' ? 'recent' : 'cost',
		tabCursors: {...state.tabCursors, usage: 0},
	};
}

export function openUsageSession(state: UiState, session: string | null): UiState {
	return {...state, openUsage: {session, cursor: 0, prompt: null}};
}

export function openUsagePrompt(state: UiState, key: string): UiState {
	return state.openUsage ? {...state, openUsage: {...state.openUsage, prompt: {key, cursor: 0}}} : state;
}

/** Esc / h / ← / Backspace: from a prompt back to its session, from a session back to the list. */
export function closeUsage(state: UiState): UiState {
	const open = state.openUsage;
	if (!open) return state;
	return open.prompt ? {...state, openUsage: {...open, prompt: null}} : {...state, openUsage: null};
}
