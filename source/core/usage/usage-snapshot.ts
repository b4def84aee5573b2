/**
 * The usage join's answer (usage-view.ts): what it holds summed per session (telemetry's requests
 * or, for a session with none, its metrics), with the burn rate over the window before `now` and,
 * for the sessions asked for, per prompt (with its tool calls) and per subagent. Pure.
 */
import type {HookHealthTable} from './hook-health.js';
import {toNano, UsageAccum} from './usage-accum.js';
import {requestFigures, type Entry} from './usage-requests.js';
import {attribute, type SessionState} from './usage-sessions.js';
import {toolRow, type ToolState} from './usage-tool-calls.js';
import type {
	PromptUsage,
	SessionUsage,
	SessionUsageTotals,
	SubagentUsage,
	ToolUsage,
	UsageSnapshot,
	UsageTotalsSnapshot,
} from './usage-types.js';

/** What the join holds, as the snapshot reads it. */
export interface UsageHeld {
	readonly sessions: ReadonlyMap<string, SessionState>;
	readonly entries: ReadonlyMap<string, Entry>;
	readonly tools: ReadonlyMap<string, ToolState>;
	readonly hooks: HookHealthTable;
}

const HOUR = 3_600_000;

/**
 * The snapshot of what is held. `detailOf`: which sessions get breakdowns (null: none, and the rows
 * have no `prompts`/`subagents` fields).
 */
export function computeUsage(
	held: UsageHeld,
	now: number,
	burnWindowMs: number,
	detailOf: ((sessionKey: string) => boolean) | null,
): UsageTotalsSnapshot | UsageSnapshot {
	const from = now - burnWindowMs;
	const perHour = HOUR / burnWindowMs;
	interface Work {
		acc: UsageAccum;
		detail: boolean;
		burnNano: number;
		toolCalls: number;
		prompts: Map<string, {acc: UsageAccum; tools: ToolUsage[]}>;
		agents: Map<string, {acc: UsageAccum; type: string | null}>;
	}
	const work = new Map<string, Work>();
	for (const [key, s] of held.sessions) {
		const acc = new UsageAccum();
		acc.add(s.retired);
		work.set(key, {
			acc,
			detail: detailOf !== null && detailOf(key),
			burnNano: 0,
			toolCalls: 0,
			prompts: new Map(),
			agents: new Map(),
		});
	}
	const promptOf = (w: Work, s: SessionState, promptId: string | null, time: number) => {
		const key = promptId ?? attribute(s.starts, time);
		let p = w.prompts.get(key);
		if (p === undefined) {
			p = {acc: new UsageAccum(), tools: []};
			w.prompts.set(key, p);
		}
		return p;
	};
	for (const entry of held.entries.values()) {
		const w = work.get(entry.session);
		const s = held.sessions.get(entry.session);
		if (w === undefined || s === undefined) continue;
		if (entry.kind === 'error') {
			w.acc.errors++;
			if (w.detail) promptOf(w, s, entry.promptId, entry.time).acc.errors++;
			continue;
		}
		const f = requestFigures(entry);
		w.acc.addRequest(f);
		if (f.usd !== null && f.time > from && f.time <= now) w.burnNano += toNano(f.usd);
		if (!w.detail) continue;
		promptOf(w, s, f.promptId, f.time).acc.addRequest(f);
		if (f.agentId !== null) {
			let a = w.agents.get(f.agentId);
			if (a === undefined) {
				a = {acc: new UsageAccum(), type: f.agentType};
				w.agents.set(f.agentId, a);
			}
			a.acc.addRequest(f);
		}
	}
	for (const tool of held.tools.values()) {
		const w = work.get(tool.session);
		const s = held.sessions.get(tool.session);
		if (w === undefined || s === undefined) continue;
		w.toolCalls++;
		if (!w.detail) continue;
		const p = promptOf(w, s, tool.promptId, tool.start ?? tool.first);
		p.tools.push(toolRow(tool, tool.promptId ?? attribute(s.starts, tool.start ?? tool.first)));
	}

	const total = new UsageAccum();
	let totalBurn = 0;
	const rows: Array<SessionUsageTotals | SessionUsage> = [];
	const ordered = [...held.sessions.values()].sort(
		(a, b) => b.last - a.last || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
	);
	for (const s of ordered) {
		const w = work.get(s.key)!;
		let basis: SessionUsageTotals['basis'] = 'none';
		let acc = w.acc;
		let burnNano = w.burnNano;
		if (acc.requests > 0) basis = 'requests';
		else if (s.metrics !== null) {
			basis = 'metrics';
			acc = new UsageAccum();
			acc.errors = w.acc.errors;
			acc.addMetrics(s.metrics.nano, s.metrics.tokens, s.metrics.models.values());
			burnNano = 0;
			for (const d of s.metrics.deltas) if (d.time > from && d.time <= now) burnNano += d.nano;
		}
		total.add(acc);
		totalBurn += burnNano;
		const row: SessionUsageTotals = {
			session: s.key === '' ? null : s.key,
			basis,
			...acc.totals(),
			burnUSDPerHour: (burnNano / 1e9) * perHour,
			firstTime: new Date(s.first).toISOString(),
			lastTime: new Date(s.last).toISOString(),
			metrics: s.metrics === null ? null : {costUSD: s.metrics.nano / 1e9, tokens: {...s.metrics.tokens}},
			toolCalls: w.toolCalls,
		};
		if (detailOf === null) {
			rows.push(row);
			continue;
		}
		if (!w.detail) {
			rows.push({...row, prompts: [], subagents: []});
			continue;
		}
		const prompts: PromptUsage[] = [...w.prompts].map(([key, p]) => {
			const mark = s.prompts.get(key);
			const time = mark?.time ?? null;
			return {
				key,
				promptId: mark ? mark.promptId : key === '' || key.startsWith('@') ? null : key,
				time: time === null ? null : new Date(time).toISOString(),
				text: mark?.text ?? null,
				...p.acc.totals(),
				tools: p.tools.sort((a, b) =>
					(a.start ?? '') < (b.start ?? '')
						? -1
						: (a.start ?? '') > (b.start ?? '')
							? 1
							: a.toolUseId < b.toolUseId
								? -1
								: 1,
				),
			};
		});
		// Prompts with nothing attributed yet are listed too (a prompt just submitted).
		for (const mark of s.starts)
			if (!w.prompts.has(mark.key))
				prompts.push({
					key: mark.key,
					promptId: mark.promptId,
					time: new Date(mark.time).toISOString(),
					text: mark.text,
					...new UsageAccum().totals(),
					tools: [],
				});
		prompts.sort((a, b) =>
			(a.time ?? '') < (b.time ?? '')
				? -1
				: (a.time ?? '') > (b.time ?? '')
					? 1
					: a.key < b.key
						? -1
						: a.key > b.key
							? 1
							: 0,
		);
		const subagents: SubagentUsage[] = [...w.agents].map(([agentId, a]) => ({
			agentId,
			agentType: a.type,
			...a.acc.totals(),
		}));
		subagents.sort((a, b) => b.costUSD - a.costUSD || (a.agentId < b.agentId ? -1 : 1));
		rows.push({...row, prompts, subagents});
	}
	return {
		now: new Date(now).toISOString(),
		total: {...total.totals(), burnUSDPerHour: (totalBurn / 1e9) * perHour, sessions: rows.length},
		sessions: rows,
		hooks: held.hooks.snapshot(),
	};
}
