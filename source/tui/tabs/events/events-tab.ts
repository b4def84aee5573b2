/**
 * The Events tab: every event as it arrives (the event store's list), followed at the end.
 */
import type {UiState} from '../../app/ui-state.js';
import {modeHints} from '../../chrome/mode-hints.js';
import {jumpEnd, jumpTop, leaveFollow, moveBy, settle} from '../../list/list-nav.js';
import type {TabDefinition} from '../tab.js';
import {eventsLegend, eventTypeLabels} from './events-legend.js';
import {EventsTab} from './EventsTab.js';

function toggleFollow(state: UiState): UiState {
	return state.follow ? leaveFollow(state) : jumpEnd(state);
}

function hints(state: UiState): string {
	const mode = modeHints(state);
	if (mode !== null) return mode;
	if (state.latest.received === 0 && state.demoAvailable) return 'd demo · ? help · q quit';
	const scope = state.scope ? ' · S unscope' : '';
	return state.search.applied
		? `n/N next/prev match · Esc clear search · Enter detail${scope} · ? help · q quit`
		: `j/k move · Enter detail · / search · f filter · F follow · s scope${scope} · p pause · e export · ? help · q quit`;
}

export const eventsTab: TabDefinition<'events'> = {
	id: 'events',
	title: 'Events',
	View: EventsTab,
	searchesStore: true,
	nav: {
		move: moveBy,
		top: jumpTop,
		bottom: jumpEnd,
		nextMatch(state, delta) {
			if (!state.search.applied) return state;
			const length = state.shown.items.length;
			if (length === 0) return state;
			// The list holds only matches: the next match is the next row, wrapping around.
			return settle({...leaveFollow(state), cursor: (state.cursor + delta + length) % length});
		},
		open(state) {
			const record = state.shown.items[state.cursor];
			if (!record) return state;
			return {...leaveFollow(state), mode: 'detail', detail: {record, scroll: 0, lines: 0}};
		},
		selectedSession: (state) => state.shown.items[state.cursor]?.session ?? null,
		// The store rebuilds the list for the new search; the cursor follows it.
		searched: (state) => state,
	},
	bindings: [
		{
			command: 'events.follow',
			keys: ['F'],
			intent: {do: 'update', update: toggleFollow},
			description: 'follow new events on / off (moving up leaves it)',
			more: 'follow is on at start and keeps the newest event selected; a `▼ N new` badge counts what arrived since it was left',
			where: 'list',
		},
	],
	hints,
	legend: eventsLegend,
	labels: {title: 'type labels', lines: eventTypeLabels},
};
