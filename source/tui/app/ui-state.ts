/**
 * The TUI's view state (everything the reducer owns) and the actions that change it.
 * Side effects the reducer asks for (quit, export, clear the store's view, …) are queued in
 * `effects` and carried out by the App, which then acknowledges them.
 */
import type {EventRecord} from '../../core/record.js';
import type {Predicate, StoreSnapshot} from '../event-store/event-store.js';
import {emptyViews} from '../event-store/views-feed.js';
import type {TabId} from '../tabs/registry.js';

export type {Predicate} from '../event-store/event-store.js';

export type Mode = 'list' | 'detail' | 'help' | 'search' | 'filter' | 'export';

export type Effect =
	| {kind: 'quit'}
	| {kind: 'clearView'}
	| {kind: 'query'; filter: Predicate | null; search: string}
	| {kind: 'export'; path: string}
	| {kind: 'demo'}
	| {kind: 'pause'; paused: boolean};

export type ToolSort = 'time' | 'duration';

export type UsageSort = 'cost' | 'recent';

export interface UiState {
	/** The tab on screen. */
	tab: TabId;
	mode: Mode;
	/** Index of the selected row in `shown.items`. */
	cursor: number;
	/** First list row on screen. */
	top: number;
	follow: boolean;
	/** `listAppended` when follow was left (the "N new" badge counts from here). */
	seenAppended: number;
	paused: boolean;
	/** The snapshot on screen (frozen while paused). */
	shown: StoreSnapshot;
	/** The newest snapshot (header counts and connection state stay live while paused). */
	latest: StoreSnapshot;
	/** List rows that fit on screen, and the screen width. */
	rows: number;
	width: number;
	/** The search of the tab on screen (each tab keeps its own: see `searches`). */
	search: {input: string; applied: string};
	/** The applied search of each tab, kept while another tab is on screen. */
	searches: Partial<Record<TabId, string>>;
	/** `warning`: the applied filter's `type:` names a type neither known nor arrived (core/filter typeWarning). */
	filter: {input: string; applied: string; test: Predicate | null; error: string | null; warning?: string};
	/** The session every tab is scoped to (`s` on a session), or null. */
	scope: string | null;
	/** The filter line and the scope as one predicate: it selects the listed events and what feeds the views. */
	selection: Predicate | null;
	/** The cursor of each row tab (the Events tab uses `cursor`); a tab not here is on its first row. */
	tabCursors: Partial<Record<TabId, number>>;
	toolSort: ToolSort;
	/** The agent opened with Enter on the Agents tab, and the cursor in its tool calls. */
	openAgent: {key: string; cursor: number} | null;
	usageSort: UsageSort;
	/** The session opened with Enter on the Usage tab (its prompts and subagents), and a prompt opened in it (its tool calls); each with its cursor. */
	openUsage: {session: string | null; cursor: number; prompt: {key: string; cursor: number} | null} | null;
	exportPath: string;
	/** The detail view: an event (`record`), or any value (`value`, e.g. a tool call's records) with a `title`. */
	detail: {
		record: EventRecord | null;
		scroll: number;
		/** Lines of the shown JSON; 0 until the view has measured them (just after opening). */
		lines: number;
		/** Scrolling asked for before the lines were measured (e.g. `G` right after `Enter`), applied once they are. */
		pending?: number;
		value?: unknown;
		title?: string;
	};
	/** Footer notice (export written, replay finished, …) until the next key. */
	notice: string | null;
	/** Side effects asked for by the reducer, carried out by the App (use-effects.ts). */
	effects: Effect[];
	/** Whether `d` may start the demo (only in the empty state, once). */
	demoAvailable: boolean;
	/** First help line on screen while the help (`?`) is open. */
	helpScroll: number;
	/** Where closing the help goes back to: the list or the detail it was opened from. */
	helpReturn: 'list' | 'detail';
}

export type Action =
	| {type: 'snapshot'; snap: StoreSnapshot}
	| {type: 'resize'; rows: number; width: number}
	| {type: 'key'; input: string; key: KeyInfo; exportPath?: () => string}
	| {type: 'searchApply'}
	| {type: 'effectsDone'; count: number}
	| {type: 'notice'; text: string | null}
	| {type: 'detailLines'; lines: number};

/** The parts of Ink's `Key` the key maps look at (tests can build it by hand). */
export interface KeyInfo {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	pageUp?: boolean;
	pageDown?: boolean;
	home?: boolean;
	end?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	shift?: boolean;
	tab?: boolean;
	backspace?: boolean;
	delete?: boolean;
	meta?: boolean;
}

export const emptySnapshot: StoreSnapshot = {
	version: -1,
	received: 0,
	sessions: 0,
	errors: 0,
	perMinute: 0,
	rateChangesIn: null,
	link: {status: 'starting', address: '', attempt: 0},
	items: [],
	listAppended: 0,
	listDropped: 0,
	listGeneration: 0,
	cleared: false,
	hits: new Map(),
	searching: false,
	notice: null,
	views: emptyViews,
	types: new Set(),
};

export function initialState(
	options: {
		rows?: number;
		width?: number;
		filter?: {text: string; test: Predicate | null};
		demoAvailable?: boolean;
		exportPath?: string;
	} = {},
): UiState {
	return {
		tab: 'events',
		mode: 'list',
		cursor: 0,
		top: 0,
		follow: true,
		seenAppended: 0,
		paused: false,
		shown: emptySnapshot,
		latest: emptySnapshot,
		rows: options.rows ?? 10,
		width: options.width ?? 80,
		search: {input: '', applied: ''},
		searches: {},
		filter: {
			input: options.filter?.text ?? '',
			applied: options.filter?.text ?? '',
			test: options.filter?.test ?? null,
			error: null,
		},
		scope: null,
		selection: options.filter?.test ?? null,
		tabCursors: {},
		toolSort: 'time',
		openAgent: null,
		usageSort: 'cost',
		openUsage: null,
		exportPath: options.exportPath ?? 'mpm-tui-export.ndjson',
		detail: {record: null, scroll: 0, lines: 0},
		notice: null,
		effects: [],
		demoAvailable: options.demoAvailable ?? true,
		helpScroll: 0,
		helpReturn: 'list',
	};
}
