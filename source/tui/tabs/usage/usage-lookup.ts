/**
 * The usage other tabs show beside their rows (Sessions: tokens and $ from 130 columns; Agents: $
 * from 120): looked up by session id and by subagent id. Asked only when those columns are on
 * screen; the per-subagent $ needs the join's breakdowns, so it is asked only once any request is
 * known, and for the scoped session alone when a scope is set.
 */
import type {SessionUsageTotals, SubagentUsage} from '../../../core/views/index.js';
import type {UiState} from '../../app/ui-state.js';

const sessionsMemo = new WeakMap<object, ReadonlyMap<string, SessionUsageTotals>>();
const agentsMemo = new WeakMap<object, ReadonlyMap<string, SubagentUsage>>();

/** Each session's usage totals, by session id (`''`: records without a session). */
export function usageBySession(state: UiState): ReadonlyMap<string, SessionUsageTotals> {
	const sessions = state.shown.views.usageTotals().sessions;
	let map = sessionsMemo.get(sessions);
	if (map === undefined) {
		map = new Map(sessions.map((s) => [s.session ?? '', s]));
		sessionsMemo.set(sessions, map);
	}
	return map;
}

/** Each subagent's usage (from its transcript), by agent id. */
export function usageByAgent(state: UiState): ReadonlyMap<string, SubagentUsage> {
	const views = state.shown.views;
	if (views.usageTotals().total.requests === 0) return new Map();
	const snap = state.scope === null ? views.usage() : views.usageOf(state.scope);
	let map = agentsMemo.get(snap);
	if (map === undefined) {
		const out = new Map<string, SubagentUsage>();
		for (const s of snap.sessions) for (const a of s.subagents) out.set(a.agentId, a);
		map = out;
		agentsMemo.set(snap, map);
	}
	return map;
}
