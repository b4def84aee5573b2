/**
 * The TUI reducer. Keys arrive as `{type: 'key'}` actions and are mapped to intents here, with
 * the current state, so fast typing never reads a stale view.
 */
import {compileFilter} from '../../core/filter.js';
import {tabs} from '../tabs/registry.js';
import {helpMaxScroll} from '../help/help-lines.js';
import {globalKeys} from '../keys/keymap.js';
import type {Intent} from './intents.js';
import {applySnapshot, jumpEnd, jumpTop, leaveFollow, moveBy, settle} from '../list/list-nav.js';
import {scopeTo, selectedSession, selectionOf, switchTab, toggleSort, viewBack, viewBottom, viewMove, viewNextMatch, viewOpen, viewTop} from '../list/row-nav.js';
import type {Action, Effect, KeyInfo, UiState} from './ui-state.js';

function withEffect(state: UiState, effect: Effect): UiState {
	return {...state, effects: [...state.effects, effect]};
}

/** The Events tab's search (kept in `searches` while another tab is on screen). */
function eventsSearch(state: UiState): string {
	return state.tab === 0 ? state.search.applied : state.searches[0];
}

/** Asks the store to rebuild the events list (and, when the filter or scope changed, the views). */
function query(state: UiState): UiState {
	return withEffect({...state, follow: true}, {kind: 'query', filter: state.selection, search: eventsSearch(state)});
}

/** A new search on the tab on screen: the Events tab asks the store, the others narrow their rows. */
function applySearch(state: UiState, input: string, applied: string, extra: Partial<UiState> = {}): UiState {
	const next = {...state, ...extra, search: {input, applied}};
	if (state.tab === 0) return query(next);
	return {...next, tabCursors: next.tabCursors.map((c, i) => (i === state.tab ? 0 : c)), openAgent: next.openAgent ? {...next.openAgent, cursor: 0} : null};
}

function detailMove(state: UiState, delta: number): UiState {
	if (state.detail.lines === 0) return {...state, detail: {...state.detail, pending: (state.detail.pending ?? 0) + delta}};
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
			if (text === '') return query({...state, mode: 'list', filter: {input: '', applied: '', test: null, error: null}, selection: selectionOf(null, state.scope)});
			const compiled = compileFilter(text);
			if (!compiled.ok) return {...state, filter: {...state.filter, error: compiled.error}};
			return query({...state, mode: 'list', filter: {input: text, applied: text, test: compiled.test, error: null}, selection: selectionOf(compiled.test, state.scope)});
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
			return state.search.applied === '' ? {...state, mode: 'list', search: {input: '', applied: ''}} : applySearch(state, '', '', {mode: 'list'});
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
	switch (intent.do) {
		case 'quit':
			return withEffect(state, {kind: 'quit'});
		case 'help':
			return {...state, mode: state.mode === 'help' ? 'list' : 'help', helpScroll: 0};
		case 'helpScroll': {
			const helpScroll = Math.max(0, Math.min(helpMaxScroll(state.tab, state.rows), state.helpScroll + intent.delta));
			return helpScroll === state.helpScroll ? state : {...state, helpScroll};
		}
		case 'tab':
			return switchTab(state, Math.max(0, Math.min(tabs.length - 1, intent.index)));
		case 'tabStep':
			return switchTab(state, (state.tab + intent.delta + tabs.length) % tabs.length);
		case 'move':
			return state.tab === 0 ? moveBy(state, intent.delta) : viewMove(state, intent.delta);
		case 'page': {
			const delta = Math.trunc(Math.max(1, state.rows) * intent.factor) || Math.sign(intent.factor);
			return state.tab === 0 ? moveBy(state, delta) : viewMove(state, delta);
		}
		case 'top':
			return state.tab === 0 ? jumpTop(state) : viewTop(state);
		case 'bottom':
			return state.tab === 0 ? jumpEnd(state) : viewBottom(state);
		case 'follow':
			if (state.tab !== 0) return state;
			return state.follow ? leaveFollow(state) : jumpEnd(state);
		case 'nextMatch': {
			if (state.tab !== 0) return viewNextMatch(state, intent.delta);
			if (!state.search.applied) return state;
			const length = state.shown.items.length;
			if (length === 0) return state;
			// The list holds only matches: the next match is the next row, wrapping around.
			const cursor = (state.cursor + intent.delta + length) % length;
			return settle({...leaveFollow(state), cursor});
		}
		case 'openDetail': {
			if (state.tab !== 0) {
				// Enter on a session scopes to it: the store re-queries.
				const next = viewOpen(state);
				return next.selection !== state.selection ? query(next) : next;
			}
			const record = state.shown.items[state.cursor];
			if (!record) return state;
			return {...leaveFollow(state), mode: 'detail', detail: {record, scroll: 0, lines: 0}};
		}
		case 'back':
			if (state.mode !== 'detail') return viewBack(state);
			return {...state, mode: 'list', detail: {record: null, scroll: 0, lines: 0}};
		case 'detailMove':
			return detailMove(state, intent.delta);
		case 'detailPage':
			return detailMove(state, Math.trunc(Math.max(1, state.rows) * intent.factor) || Math.sign(intent.factor));
		case 'detailTop':
			return detailMove(state, -Number.MAX_SAFE_INTEGER);
		case 'detailBottom':
			return detailMove(state, Number.MAX_SAFE_INTEGER);
		case 'startInput':
			if (intent.mode === 'search') return {...state, mode: 'search', search: {...state.search, input: state.search.applied}};
			if (intent.mode === 'filter') return {...state, mode: 'filter', filter: {...state.filter, input: state.filter.applied, error: null}};
			return {...state, mode: 'export', exportPath: exportPath ? exportPath() : state.exportPath};
		case 'type':
			return editInput(state, text => text + intent.text);
		case 'erase':
			return editInput(state, text => Array.from(text).slice(0, -1).join(''));
		case 'eraseWord':
			return editInput(state, text => text.replace(/\S*\s*$/, ''));
		case 'eraseLine':
			return editInput(state, () => '');
		case 'submit':
			return submit(state);
		case 'cancel':
			return cancel(state);
		case 'escape':
			if (state.search.applied) return applySearch(state, '', '');
			if (state.filter.applied) return query({...state, filter: {input: '', applied: '', test: null, error: null}, selection: selectionOf(null, state.scope)});
			return state;
		case 'pause': {
			const paused = !state.paused;
			const next = withEffect({...state, paused}, {kind: 'pause', paused});
			return paused ? next : applySnapshot(next, state.latest);
		}
		case 'clear':
			return withEffect({...state, follow: true, cursor: 0, top: 0, tabCursors: state.tabCursors.map(() => 0), openAgent: null}, {kind: 'clearView'});
		case 'demo':
			return withEffect({...state, demoAvailable: false}, {kind: 'demo'});
		case 'sort':
			return toggleSort(state);
		case 'scope':
		case 'scopeSelected': {
			const session = intent.do === 'scope' ? intent.session : selectedSession(state);
			if (intent.do === 'scopeSelected' && session === null) return state;
			const next = scopeTo(state, session);
			return next === state ? state : query(next);
		}
	}
}

/** Splits typed-ahead or pasted keys into single keys outside text entry. */
function keyIntents(state: UiState, input: string, key: KeyInfo, exportPath?: () => string): UiState {
	const global = state.mode === 'search' || state.mode === 'filter' || state.mode === 'export' ? (key.ctrl && input === 'c' ? [{do: 'quit'} as Intent] : null) : globalKeys(state, input, key);
	const intents = global ?? tabs[state.tab].keys(state, input, key);
	return intents.reduce((next, intent) => apply(next, intent, exportPath), state);
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
				const typed = newline > 0 ? reducer(cleared, {...action, input: input.slice(0, newline), key: {}}) : cleared;
				const submitted = reducer(typed, {...action, input: '\r', key: {return: true}});
				const rest = input.slice(newline + 1);
				return rest === '' ? submitted : reducer(submitted, {...action, input: rest, key: {}});
			}
			if (!textEntry && input.length > 1 && !key.ctrl && !key.meta) {
				let next = cleared;
				for (const char of Array.from(input)) next = reducer(next, {type: 'key', input: char, key: {}, exportPath: action.exportPath});
				return next;
			}
			return keyIntents(cleared, input, key, action.exportPath);
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
