/**
 * The Events tab's key map: list navigation, follow, search, filter, detail, export, clear.
 */
import type {Intent} from '../../app/intents.js';
import type {KeyInfo, UiState} from '../../app/ui-state.js';
import {inputLineKeys, isEnter} from '../../keys/keymap.js';

export function detailKeys(input: string, key: KeyInfo): Intent[] {
	if (key.escape || input === 'h' || key.leftArrow || key.backspace || key.delete) return [{do: 'back'}];
	if (input === 'j' || key.downArrow || isEnter(input, key)) return [{do: 'detailMove', delta: 1}];
	if (input === 'k' || key.upArrow) return [{do: 'detailMove', delta: -1}];
	if (key.ctrl && input === 'd') return [{do: 'detailPage', factor: 0.5}];
	if (key.ctrl && input === 'u') return [{do: 'detailPage', factor: -0.5}];
	if (key.pageDown || input === ' ') return [{do: 'detailPage', factor: 1}];
	if (key.pageUp || input === 'b') return [{do: 'detailPage', factor: -1}];
	if (input === 'g' || key.home) return [{do: 'detailTop'}];
	if (input === 'G' || key.end) return [{do: 'detailBottom'}];
	return [];
}

function listKeys(state: UiState, input: string, key: KeyInfo): Intent[] {
	if (key.ctrl) {
		if (input === 'd') return [{do: 'page', factor: 0.5}];
		if (input === 'u') return [{do: 'page', factor: -0.5}];
		if (input === 'f') return [{do: 'page', factor: 1}];
		if (input === 'b') return [{do: 'page', factor: -1}];
		return [];
	}
	if (key.escape) return [{do: 'escape'}];
	if (isEnter(input, key) || key.rightArrow || input === 'l') return [{do: 'openDetail'}];
	if (input === 'j' || key.downArrow) return [{do: 'move', delta: 1}];
	if (input === 'k' || key.upArrow) return [{do: 'move', delta: -1}];
	if (key.pageDown || input === ' ') return [{do: 'page', factor: 1}];
	if (key.pageUp || input === 'b') return [{do: 'page', factor: -1}];
	if (input === 'g' || key.home) return [{do: 'top'}];
	if (input === 'G' || key.end) return [{do: 'bottom'}];
	if (input === 'F') return [{do: 'follow'}];
	if (input === '/') return [{do: 'startInput', mode: 'search'}];
	if (input === 'f') return [{do: 'startInput', mode: 'filter'}];
	if (input === 'e') return [{do: 'startInput', mode: 'export'}];
	if (input === 'n') return [{do: 'nextMatch', delta: 1}];
	if (input === 'N') return [{do: 'nextMatch', delta: -1}];
	if (input === 'c') return [{do: 'clear'}];
	if (input === 's') return [{do: 'scopeSelected'}];
	if (input === 'S') return [{do: 'scope', session: null}];
	if (input === 'd' && state.demoAvailable && state.latest.received === 0) return [{do: 'demo'}];
	return [];
}

export function eventsKeys(state: UiState, input: string, key: KeyInfo): Intent[] {
	switch (state.mode) {
		case 'search':
		case 'filter':
		case 'export':
			return inputLineKeys(input, key);
		case 'detail':
			return detailKeys(input, key);
		default:
			return listKeys(state, input, key);
	}
}

/** The footer's most useful keys for the current view. */
export function eventsHints(state: UiState): string {
	switch (state.mode) {
		case 'detail':
			return 'j/k scroll · Space/b page · g/G top/end · Esc back · q quit';
		case 'search':
			return 'Enter keep · Esc clear';
		case 'filter':
			return 'Enter apply · Esc cancel · empty clears';
		case 'export':
			return 'Enter write · Esc cancel · .json = JSON array, else NDJSON';
		default:
			if (state.latest.received === 0 && state.demoAvailable) return 'd demo · ? help · q quit';
			{
				const scope = state.scope ? ' · S unscope' : '';
				return state.search.applied
					? `n/N next/prev match · Esc clear search · Enter detail${scope} · ? help · q quit`
					: `j/k move · Enter detail · / search · f filter · F follow · s scope${scope} · p pause · e export · ? help · q quit`;
			}
	}
}
