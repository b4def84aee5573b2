/**
 * Keys and footer hints of the derived-view tabs (Tools, Agents, Files, Sessions). They share the
 * Events tab's navigation, search, filter, detail and export keys, plus: `o` sort (Tools), `s`
 * scope to the selected row's session, `S` clear the scope, Esc back from an open agent.
 */
import type {Intent} from '../../app/intents.js';
import type {KeyInfo, UiState} from '../../app/ui-state.js';
import {eventsHints, eventsKeys} from '../events/events-keys.js';
import {AGENTS_TAB, SESSIONS_TAB, TOOLS_TAB} from '../../list/rows.js';

export function viewKeys(state: UiState, input: string, key: KeyInfo): Intent[] {
	if (state.mode === 'list' && state.tab === AGENTS_TAB && state.openAgent && (key.escape || input === 'h' || key.leftArrow || key.backspace || key.delete)) return [{do: 'back'}];
	if (state.mode === 'list' && !key.ctrl && !key.meta) {
		if (input === 'o' && state.tab === TOOLS_TAB) return [{do: 'sort'}];
		// Nothing to follow here: the newest rows are at the top.
		if (input === 'F') return [];
	}
	return eventsKeys(state, input, key);
}

export function viewHints(state: UiState): string {
	if (state.mode !== 'list') return eventsHints(state);
	const scope = state.scope ? ' · S unscope' : '';
	const tail = ` · / search · f filter${scope} · ? help · q quit`;
	if (state.search.applied) return `n/N next/prev match · Esc clear search${scope} · ? help · q quit`;
	switch (state.tab) {
		case TOOLS_TAB:
			return `j/k move · Enter records · o sort · s scope${tail}`;
		case AGENTS_TAB:
			return state.openAgent ? 'j/k move · Enter records · Esc back · ? help · q quit' : `j/k move · Enter calls · s scope${tail}`;
		case SESSIONS_TAB:
			return `j/k move · s/Enter scope to the session${tail}`;
		default:
			return `j/k move · Enter details · s scope${tail}`;
	}
}
