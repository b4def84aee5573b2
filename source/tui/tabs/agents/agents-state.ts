/**
 * The Agents tab's own state: an agent opened with Enter (its calls, with a cursor of their
 * own), and going back to the list of agents.
 */
import type {UiState} from '../../app/ui-state.js';
import {tabCursor, type CursorPlace} from '../../list/row-nav.js';

/** The cursor on the Agents tab: in the open agent's calls, else in the agents. */
export const agentsCursor: CursorPlace = {
	get: (state) => (state.openAgent ? state.openAgent.cursor : tabCursor.get(state)),
	set: (state, cursor) => {
		if (!state.openAgent) return tabCursor.set(state, cursor);
		return cursor === state.openAgent.cursor ? state : {...state, openAgent: {...state.openAgent, cursor}};
	},
};

export function openAgent(state: UiState, key: string): UiState {
	return {...state, openAgent: {key, cursor: 0}};
}

/** Esc / h / ← / Backspace with an agent open: back to the list of agents. */
export function closeAgent(state: UiState): UiState {
	return state.openAgent ? {...state, openAgent: null} : state;
}
