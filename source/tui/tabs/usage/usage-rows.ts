/**
 * The Usage tab's rows: each session with usage known (sorted by $ or by last activity, narrowed
 * by the tab's search), an opened session's prompts and subagents, and an opened prompt's tool
 * calls. The list reads the join's per-session totals only; an opened session asks for its own
 * breakdowns alone (`usageOf`), never every session's.
 */
import {shortSession} from '../../../core/search.js';
import type {
	PromptUsage,
	SessionUsage,
	SessionUsageTotals,
	SubagentUsage,
	ToolUsage,
} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';
import {fuzzyFilter, rowMemo, searchOf} from '../../list/rows.js';

export interface UsageRow extends SessionUsageTotals {
	key: string;
	cwd: string | null;
}

export type UsageItem =
	{kind: 'prompt'; key: string; prompt: PromptUsage} | {kind: 'agent'; key: string; agent: SubagentUsage};

const rowsMemo = rowMemo<UsageRow>();

export function usageText(r: UsageRow): string {
	return `${shortSession(r.session)} ${r.cwd ?? ''} ${r.models.map((m) => m.model).join(' ')} ${r.session ?? ''}`;
}

/** Sessions with usage known (requests or metrics): by $ (most first), or most recently active first. */
export function usageRows(state: UiState): readonly UsageRow[] {
	const views = state.shown.views;
	const base = views.usageTotals().sessions;
	const query = searchOf(state, 'usage');
	return rowsMemo(base, `${state.usageSort}\u0000${query}`, () => {
		const cwd = new Map<string, string | null>();
		for (const s of views.sessions()) cwd.set(s.id, s.cwd);
		const rows: UsageRow[] = [];
		for (const s of base)
			if (s.basis !== 'none') rows.push({...s, key: s.session ?? '', cwd: cwd.get(s.session ?? '') ?? null});
		// `base` is most recently active first; a stable sort keeps that order among equal costs.
		if (state.usageSort === 'cost') rows.sort((a, b) => b.costUSD - a.costUSD);
		return fuzzyFilter(rows, query, usageText);
	});
}

/** The session opened with Enter: its totals with prompts and subagents, and its rows (prompts oldest first, then subagents by $). */
export function openedUsage(state: UiState): {session: SessionUsage; items: readonly UsageItem[]} | null {
	const open = state.openUsage;
	if (open === null) return null;
	const snap = state.shown.views.usageOf(open.session);
	const session = snap.sessions.find((s) => s.session === open.session);
	if (!session) return null;
	return {session, items: itemsMemo(session)};
}

let lastSession: SessionUsage | null = null;
let lastItems: readonly UsageItem[] = [];

function itemsMemo(session: SessionUsage): readonly UsageItem[] {
	if (session !== lastSession) {
		lastSession = session;
		lastItems = [
			...session.prompts.map((prompt): UsageItem => ({kind: 'prompt', key: `p:${prompt.key}`, prompt})),
			...session.subagents.map((agent): UsageItem => ({kind: 'agent', key: `a:${agent.agentId}`, agent})),
		];
	}
	return lastItems;
}

/** The prompt opened in the opened session, with its tool calls (in the order they started). */
export function openedPrompt(state: UiState): {prompt: PromptUsage; tools: readonly ToolUsage[]} | null {
	const key = state.openUsage?.prompt?.key;
	if (key === undefined) return null;
	const prompt = openedUsage(state)?.session.prompts.find((p) => p.key === key);
	return prompt ? {prompt, tools: prompt.tools} : null;
}
