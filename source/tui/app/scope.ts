/**
 * The session scope (`s` on a row, `S` clears it): every tab shows only that session's events.
 */
import type {Predicate} from '../event-store/event-store.js';
import type {UiState} from './ui-state.js';

/** The filter line's predicate narrowed to the scoped session. */
export function selectionOf(test: Predicate | null, scope: string | null): Predicate | null {
	if (scope === null) return test;
	if (test === null) return (record) => record.session === scope;
	return (record) => record.session === scope && test(record);
}

/** Scopes every tab to `session`; the same session again (or null) clears the scope. The caller asks the store to re-query. */
export function scopeTo(state: UiState, session: string | null): UiState {
	const scope = session === null || session === state.scope ? null : session;
	if (scope === state.scope) return state;
	return {
		...state,
		scope,
		selection: selectionOf(state.filter.test, scope),
		tabCursors: {},
		openAgent: null,
		openUsage: null,
		cursor: 0,
		top: 0,
	};
}
