/**
 * The TUI reducer. Keys arrive as `{type: 'key'}` actions and are mapped to intents here (by the
 * key table), with the current state, so fast typing never reads a stale view. What a move or
 * Enter means on a tab is the tab's own (its `nav`, tabs/<tab>/).
 */
import {compileFilter, typeWarning} from '../../core/filter.js';
import {helpMaxScroll} from '../help/help-lines.js';
import {keyIntents} from '../keys/key-table.js';
import {applySnapshot, settle} from '../list/list-nav.js';
import {searchOf} from '../list/rows.js';
import {tabById, tabIndex, tabs} from '../tabs/registry.js';
import {graphemes} from '../text/cells.js';
import type {Intent} from './intents.js';
import {scopeTo, selectionOf} from './scope.js';
import type {Action, Effect, KeyInfo, UiState} from './ui-state.js';

/** The tab whose search is the event store's (the Events list). */
const storeSearchTab = tabs.find((tab) => tab.searchesStore === true) ?? tabs[0];

function withEffect(state: UiState, effect: Effect): UiState {
	return {...state, effects: [...state.effects, effect]};
}

/** Asks the store to rebuild the events list (and, when the filter or scope changed, the views). */
function query(state: UiState): UiState {
	return withEffect(
		{...state, follow: true},
		{kind: 'query', filter: state.selection, search: searchOf(state, storeSearchTab.id)},
	);
}

/** A new search on the tab on screen: the Events tab asks the store, the others narrow their rows. */
function applySearch(state: UiState, input: string, applied: string, extra: Partial<UiState> = {}): UiState {
	const next = {...state, ...extra, search: {input, applied}};
	const tab = tabById(state.tab);
	return tab.searchesStore ? query(next) : tab.nav.searched(next);
}

/** Switches tabs: the old tab keeps its search, the new one gets its own back; a detail view closes. */
function switchTab(state: UiState, index: number): UiState {
	const id = tabs[index].id;
	if (id === state.tab) return state.mode === 'detail' ? {...state, mode: 'list'} : state;
	const searches = {...state.searches, [state.tab]: state.search.applied};
	const applied = searches[id] ?? '';
	return {
		...state,
		tab: id,
		searches,
		search: {input: applied, applied},
		mode: state.mode === 'detail' ? 'list' : state.mode,
	};
}

function scrollHelp(state: UiState, delta: number): UiState {
	const helpScroll = Math.max(
		0,
		Math.min(helpMaxScroll(state.tab, state.rows, state.width), state.helpScroll + delta),
	);
	return helpScroll === state.helpScroll ? state : {...state, helpScroll};
}

/** Lines in `factor` screens (at least one). */
const pageLines = (state: UiState, factor: number) =>
	Math.trunc(Math.max(1, state.rows) * factor) || Math.sign(factor);

function detailMove(state: UiState, delta: number): UiState {
	if (state.detail.lines === 0)
		return {...state, detail: {...state.detail, pending: (state.detail.pending ?? 0) + delta}};
	const max = Math.max(0, state.detail.lines - state.rows);
	const scroll = Math.max(0, Math.min(max, state.detail.scroll + delta));
	return scroll === state.detail.scroll ? state : {...state, detail: {...state.detail, scroll}};
}

function submit(state: UiState): UiState {
	switch (state.mode) {
		case 'search':
			return applySearch(state, state.search.input, state.search.input.trim(), {mode: 'list'});
		case 'filter': {
			const text = state.filter.input.trim();
			if (text === '')
				return query({
					...state,
					mode: 'list',
					filter: {input: '', applied: '', test: null, error: null},
					selection: selectionOf(null, state.scope),
				});
			const compiled = compileFilter(text);
			if (!compiled.ok) return {...state, filter: {...state.filter, error: compiled.error}};
			// A type nobody knows is still applied (any type may arrive), and said in the footer.
			const warning = typeWarning(compiled.filter, state.latest.types) ?? undefined;
			const applied = query({
				...state,
				mode: 'list',
				filter: {input: text, applied: text, test: compiled.test, error: null, warning},
				selection: selectionOf(compiled.test, state.scope),
			});
			return warning === undefined ? applied : {...applied, notice: `⚠ ${warning}`};
		}
		case 'export': {
			const path = state.exportPath.trim();
			if (path === '') return {...state, mode: 'list'};
			return withEffect({...state, mode: 'list'}, {kind: 'export', path});
		}
		default:
			return state;
	}
}

function cancel(state: UiState): UiState {
	switch (state.mode) {
		case 'search':
			// Esc clears the search.
			return state.search.applied === ''
				? {...state, mode: 'list', search: {input: '', applied: ''}}
				: applySearch(state, '', '', {mode: 'list'});
		case 'filter':
			return {...state, mode: 'list', filter: {...state.filter, input: state.filter.applied, error: null}};
		default:
			return {...state, mode: 'list'};
	}
}

function editInput(state: UiState, edit: (text: string) => string): UiState {
	switch (state.mode) {
		case 'search':
			return {...state, search: {...state.search, input: edit(state.search.input)}};
		case 'filter':
			return {...state, filter: {...state.filter, input: edit(state.filter.input), error: null}};
		case 'export':
			return {...state, exportPath: edit(state.exportPath)};
		default:
			return state;
	}
}

function apply(state: UiState, intent: Intent, exportPath?: () => string): UiState {
	const {nav} = tabById(state.tab);
	switch (intent.do) {
		case 'quit':
			return withEffect(state, {kind: 'quit'});
		case 'help':
			// Closing goes back where `?` was pressed: the list, or the detail being read.
			if (state.mode === 'help') return {...state, mode: state.helpReturn, helpScroll: 0};
			return {...state, mode: 'help', helpScroll: 0, helpReturn: state.mode === 'detail' ? 'detail' : 'list'};
		case 'helpScroll':
			return scrollHelp(state, intent.delta);
		case 'helpPage':
			return scrollHelp(state, pageLines(state, intent.factor));
		case 'tab':
			return switchTab(state, Math.max(0, Math.min(tabs.length - 1, intent.index)));
		case 'tabStep':
			return switchTab(state, (tabIndex(state.tab) + intent.delta + tabs.length) % tabs.length);
		case 'move':
			return nav.move(state, intent.delta);
		case 'page':
			return nav.move(state, pageLines(state, intent.factor));
		case 'top':
			return nav.top(state);
		case 'bottom':
			return nav.bottom(state);
		case 'nextMatch':
			return nav.nextMatch(state, intent.delta);
		case 'openDetail': {
			// Enter on a session scopes to it: the store re-queries.
			const next = nav.open(state);
			return next.selection !== state.selection ? query(next) : next;
		}
		case 'back':
			if (state.mode !== 'detail') return state;
			return {...state, mode: 'list', detail: {record: null, scroll: 0, lines: 0}};
		case 'detailMove':
			return detailMove(state, intent.delta);
		case 'detailPage':
			return detailMove(state, pageLines(state, intent.factor));
		case 'detailTop':
			return detailMove(state, -Number.MAX_SAFE_INTEGER);
		case 'detailBottom':
			return detailMove(state, Number.MAX_SAFE_INTEGER);
		case 'startInput':
			if (intent.mode === 'search')
				return {...state, mode: 'search', search: {...state.search, input: state.search.applied}};
			if (intent.mode === 'filter')
				return {
					...state,
					mode: 'filter',
					filter: {...state.filter, input: state.filter.applied, error: null},
				};
			return {...state, mode: 'export', exportPath: exportPath ? exportPath() : state.exportPath};
		case 'type':
			return editInput(state, (text) => text + intent.text);
		case 'erase':
			// One character as the eye sees it: a whole emoji sequence or letter with its accents.
			return editInput(state, (text) =>
				graphemes(text)
					.slice(0, -1)
					.map((cluster) => cluster.text)
					.join(''),
			);
		case 'eraseWord':
			return editInput(state, (text) => text.replace(/\S*\s*$/, ''));
		case 'eraseLine':
			return editInput(state, () => '');
		case 'submit':
			return submit(state);
		case 'cancel':
			return cancel(state);
		case 'escape':
			if (state.search.applied) return applySearch(state, '', '');
			if (state.filter.applied)
				return query({
					...state,
					filter: {input: '', applied: '', test: null, error: null},
					selection: selectionOf(null, state.scope),
				});
			return state;
		case 'pause': {
			const paused = !state.paused;
			const next = withEffect({...state, paused}, {kind: 'pause', paused});
			return paused ? next : applySnapshot(next, state.latest);
		}
		case 'clear':
			return withEffect(
				{...state, follow: true, cursor: 0, top: 0, tabCursors: {}, openAgent: null, openUsage: null},
				{kind: 'clearView'},
			);
		case 'demo':
			return withEffect({...state, demoAvailable: false}, {kind: 'demo'});
		case 'update':
			return intent.update(state);
		case 'scope':
		case 'scopeSelected': {
			const session = intent.do === 'scope' ? intent.session : nav.selectedSession(state);
			if (intent.do === 'scopeSelected' && session === null) return state;
			const next = scopeTo(state, session);
			return next === state ? state : query(next);
		}
	}
}

/** Applies what one key means here. */
function pressKey(state: UiState, input: string, key: KeyInfo, exportPath?: () => string): UiState {
	return keyIntents(state, input, key).reduce((next, intent) => apply(next, intent, exportPath), state);
}

export function reducer(state: UiState, action: Action): UiState {
	switch (action.type) {
		case 'snapshot':
			return applySnapshot(state, action.snap);
		case 'resize':
			return settle({...state, rows: Math.max(1, action.rows), width: action.width});
		case 'key': {
			const {input, key} = action;
			const textEntry = state.mode === 'search' || state.mode === 'filter' || state.mode === 'export';
			const cleared = state.notice === null ? state : {...state, notice: null};
			// Typed-ahead text and Enter can arrive in one chunk: type, submit, then go on.
			const newline = textEntry && input.length > 1 ? input.search(/[\r\n]/) : -1;
			if (newline >= 0) {
				const typed =
					newline > 0 ? reducer(cleared, {...action, input: input.slice(0, newline), key: {}}) : cleared;
				const submitted = reducer(typed, {...action, input: '\r', key: {return: true}});
				const rest = input.slice(newline + 1);
				return rest === '' ? submitted : reducer(submitted, {...action, input: rest, key: {}});
			}
			if (!textEntry && input.length > 1 && !key.ctrl && !key.meta) {
				let next = cleared;
				for (const char of Array.from(input))
					next = reducer(next, {type: 'key', input: char, key: {}, exportPath: action.exportPath});
				return next;
			}
			return pressKey(cleared, input, key, action.exportPath);
		}
		case 'searchApply': {
			if (state.mode !== 'search' || state.search.input.trim() === state.search.applied) return state;
			return applySearch(state, state.search.input, state.search.input.trim());
		}
		case 'effectsDone':
			return {...state, effects: state.effects.slice(action.count)};
		case 'notice':
			return {...state, notice: action.text};
		case 'detailLines': {
			if (state.detail.lines === action.lines) return state;
			const {pending, ...detail} = state.detail;
			const measured = {...state, detail: {...detail, lines: action.lines}};
			return pending && action.lines > 0 ? detailMove(measured, pending) : measured;
		}
	}
}
