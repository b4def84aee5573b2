/**
 * What a tab is: its view, how the cursor moves through its rows, its own keys, the footer's
 * hints and the status words it shows. The registry (`registry.ts`) lists the tabs; the reducer,
 * the tab bar, the help and docs/keys.md read everything about a tab from here.
 */
import type React from 'react';
import type {Action, UiState} from '../app/ui-state.js';
import type {Binding} from '../keys/bindings.js';

export interface TabViewProps {
	state: UiState;
	width: number;
	/** Lines the tab may use (the body). */
	height: number;
	dispatch: (action: Action) => void;
}

/** How the reducer moves through the tab's rows: each tab says it for its own. */
export interface TabNav {
	move(state: UiState, delta: number): UiState;
	top(state: UiState): UiState;
	bottom(state: UiState): UiState;
	/** `n`/`N`: the next / previous row that matches the applied search. */
	nextMatch(state: UiState, delta: number): UiState;
	/** Enter on the selected row. */
	open(state: UiState): UiState;
	/** The session of the selected row (`s`), or null. */
	selectedSession(state: UiState): string | null;
	/** A search was applied on this tab: where the cursor goes. */
	searched(state: UiState): UiState;
}

/** One legend line: the mark or word as the tab shows it, and what it means. */
export type LegendLine = readonly [shown: string, meaning: string];

export interface TabDefinition<Id extends string = string> {
	id: Id;
	title: string;
	View: React.ComponentType<TabViewProps>;
	nav: TabNav;
	/** Keys of this tab only (they join the shared key table, applying on this tab). */
	bindings?: readonly Binding[];
	/** The footer's most useful keys for the current view. */
	hints: (state: UiState) => string;
	/** The marks and words the tab shows, for the `?` help and docs (meanings within 56 characters). */
	legend?: readonly LegendLine[];
	/**
	 * The times its rows on screen show as ages (`5s ago`), read from `state.shown`: the screen is
	 * redrawn when one of them would read differently, and not otherwise.
	 */
	ages?: (state: UiState) => Iterable<number>;
	/** Short forms its columns show for longer names (the help lists them after the keys). */
	labels?: {title: string; lines: readonly LegendLine[]};
	/** Its search is the event store's (the Events list), not a narrowing of rows the tab holds. */
	searchesStore?: boolean;
}
