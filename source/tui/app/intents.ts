/**
 * What a key means, independent of the key: the key table (keys/bindings.ts) turns input into
 * intents, the reducer applies them.
 */
import type {UiState} from './ui-state.js';

export type Intent =
	| {do: 'quit'}
	| {do: 'help'}
	/** Scrolls the open help by lines (±Infinity: to the top / the end). */
	| {do: 'helpScroll'; delta: number}
	/** Scrolls the open help by screens (-0.5: half a screen up). */
	| {do: 'helpPage'; factor: number}
	| {do: 'tab'; index: number}
	| {do: 'tabStep'; delta: number}
	| {do: 'move'; delta: number}
	/** Pages: 1 = a screen down, -0.5 = half a screen up. */
	| {do: 'page'; factor: number}
	| {do: 'top'}
	| {do: 'bottom'}
	| {do: 'nextMatch'; delta: number}
	| {do: 'openDetail'}
	| {do: 'back'}
	| {do: 'detailMove'; delta: number}
	| {do: 'detailPage'; factor: number}
	| {do: 'detailTop'}
	| {do: 'detailBottom'}
	| {do: 'startInput'; mode: 'search' | 'filter' | 'export'}
	| {do: 'type'; text: string}
	| {do: 'erase'}
	| {do: 'eraseWord'}
	| {do: 'eraseLine'}
	| {do: 'submit'}
	| {do: 'cancel'}
	| {do: 'pause'}
	| {do: 'clear'}
	| {do: 'demo'}
	| {do: 'escape'}
	/** Scope every tab to a session; the same session again, or null, clears the scope. */
	| {do: 'scope'; session: string | null}
	/** Scope to the session of the selected row. */
	| {do: 'scopeSelected'}
	/** A tab's own change to the state (the Tools sort, closing an open agent, follow on Events). */
	| {do: 'update'; update: (state: UiState) => UiState};
