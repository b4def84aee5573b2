/**
 * The rows each derived-view tab shows: the views snapshot on screen, sorted (Tools), narrowed by
 * the tab's own fuzzy search over the row's text. Memoized per snapshot, sort and query, so the
 * reducer (cursor arithmetic) and the view (drawing) share one computation.
 */
import Fuse from 'fuse.js';
import {shortSession} from '../../core/search.js';
import {sortToolCalls, toolStatusWord, type AgentEntry, type FileEntry, type SessionEntry, type ToolCall} from '../../core/views/index.js';
import type {UiState} from '../app/ui-state.js';

export const TOOLS_TAB = 1;
export const AGENTS_TAB = 2;
export const FILES_TAB = 3;
export const SESSIONS_TAB = 4;

/** The applied search of a tab (the tab on screen keeps it in `state.search`). */
export function searchOf(state: UiState, tab: number): string {
	return tab === state.tab ? state.search.applied : state.searches[tab] ?? '';
}

export function agentLabel(agent: string, agentType: string | null): string {
	return agent === 'main' ? 'main' : agentType ?? agent.slice(0, 10);
}

export function toolText(r: ToolCall): string {
	return `${r.tool} ${r.target} ${agentLabel(r.agent, r.agentType)} ${toolStatusWord(r)} ${shortSession(r.session)} ${r.error ?? ''}`;
}

export function agentText(r: AgentEntry): string {
	return `${r.type} ${r.description} ${r.status} ${r.lastMessage ?? ''} ${shortSession(r.session)}`;
}

export function fileText(r: FileEntry): string {
	return `${r.display} ${r.lastTool} ${r.lastAgent}`;
}

export function sessionText(r: SessionEntry): string {
	const background = r.background.map(task => task.description).join(' ');
	return `${shortSession(r.id)} ${r.state} ${r.cwd ?? ''} ${r.lastPrompt ?? ''} ${r.waitMessage ?? ''} ${r.failure ?? ''} ${background} ${r.id}`;
}

/** Rows whose text matches `query` fuzzily (fuse.js, the events search's settings), in their order. */
export function fuzzyFilter<R>(rows: readonly R[], query: string, text: (row: R) => string): readonly R[] {
	const q = query.trim();
	if (q === '' || rows.length === 0) return rows;
	const docs = rows.map(row => ({text: text(row)}));
	const fuse = new Fuse(docs, {keys: ['text'], ignoreLocation: true, threshold: 0.2, minMatchCharLength: 2, shouldSort: false});
	const hit = new Set(fuse.search(q).map(result => result.refIndex));
	return rows.filter((_, i) => hit.has(i));
}

interface Memo {
	base: readonly unknown[] | null;
	key: string;
	rows: readonly unknown[];
}

const memos: Memo[] = [];

function memo<R>(slot: number, base: readonly R[], key: string, compute: () => readonly R[]): readonly R[] {
	const m = (memos[slot] ??= {base: null, key: '', rows: []});
	if (m.base !== base || m.key !== key) {
		m.base = base;
		m.key = key;
		m.rows = compute();
	}
	return m.rows as readonly R[];
}

export function toolRows(state: UiState): readonly ToolCall[] {
	const base = state.shown.views.tools();
	const query = searchOf(state, TOOLS_TAB);
	return memo(TOOLS_TAB, base, `${state.toolSort}\u0000${query}`, () => {
		const sorted = state.toolSort === 'time' ? base : sortToolCalls(base, 'duration');
		return fuzzyFilter(sorted, query, toolText);
	});
}

export function agentRows(state: UiState): readonly AgentEntry[] {
	const base = state.shown.views.agents();
	const query = searchOf(state, AGENTS_TAB);
	return memo(AGENTS_TAB, base, query, () => fuzzyFilter(base, query, agentText));
}

export function fileRows(state: UiState): readonly FileEntry[] {
	const base = state.shown.views.files();
	const query = searchOf(state, FILES_TAB);
	return memo(FILES_TAB, base, query, () => fuzzyFilter(base, query, fileText));
}

export function sessionRows(state: UiState): readonly SessionEntry[] {
	const base = state.shown.views.sessions();
	const query = searchOf(state, SESSIONS_TAB);
	return memo(SESSIONS_TAB, base, query, () => fuzzyFilter(base, query, sessionText));
}

/** The agent opened on the Agents tab (looked up by key in the unsearched rows) and its tool calls, newest first (as on the Tools tab). */
export function openedAgent(state: UiState): {agent: AgentEntry; calls: readonly ToolCall[]} | null {
	const open = state.openAgent;
	if (open === null) return null;
	const agent = state.shown.views.agents().find(a => a.key === open.key);
	if (!agent) return null;
	const tools = state.shown.views.tools();
	const calls = memo(0, tools, `${agent.key}\u0000${agent.toolCallIds.length}`, () => {
		const ids = new Set(agent.toolCallIds);
		return tools.filter(c => ids.has(c.id));
	});
	return {agent, calls};
}

/** How many rows the cursor moves over on the tab on screen (the open agent's calls on Agents). */
export function rowCount(state: UiState): number {
	switch (state.tab) {
		case TOOLS_TAB:
			return toolRows(state).length;
		case AGENTS_TAB:
			return state.openAgent ? (openedAgent(state)?.calls.length ?? 0) : agentRows(state).length;
		case FILES_TAB:
			return fileRows(state).length;
		case SESSIONS_TAB:
			return sessionRows(state).length;
		default:
			return state.shown.items.length;
	}
}
