/**
 * The running `otel.metrics` totals per session (OtelUsageTotals), rebuilt from the records' deltas
 * (live, from the history or the journal). Pure.
 */
import {isObj, own} from '../otel-values.js';
import {
	emptyTokens,
	SessionTable,
	TOKEN_TYPES,
	type SessionUsage,
	type TokenCounts,
} from './otel-metrics-sums.js';

/** A number field of a payload read back from a record (it may come from a journal of anything). */
function finite(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function tokensFrom(value: unknown): TokenCounts {
	const out = emptyTokens();
	if (isObj(value)) for (const t of TOKEN_TYPES) out[t] = finite(own(value, t));
	return out;
}

/**
 * The running totals per session: the sum of the deltas of the `otel.metrics` records given to
 * `add` (live or from the history). Bounded like a fold. What the usage join reads.
 */
export class OtelUsageTotals {
	private readonly table = new SessionTable();

	/** Adds an `otel.metrics` record's deltas; false (and nothing added) for any other record. */
	add(record: {type: string; payload: Record<string, unknown>}): boolean {
		if (record.type !== 'otel.metrics') return false;
		const sessions = own(record.payload, 'sessions');
		if (!Array.isArray(sessions)) return false;
		for (const entry of sessions) {
			if (!isObj(entry)) continue;
			const id = own(entry, 'session');
			const sums = this.table.get(typeof id === 'string' ? id : null);
			if (sums === null) continue;
			sums.cost += finite(own(entry, 'cost_usd'));
			const tokens = tokensFrom(own(entry, 'tokens'));
			for (const t of TOKEN_TYPES) sums.tokens[t] += tokens[t];
			const models = own(entry, 'models');
			for (const m of Array.isArray(models) ? models : []) {
				if (!isObj(m) || typeof own(m, 'model') !== 'string') continue;
				const usage = sums.model(own(m, 'model') as string);
				if (usage === null) continue;
				usage.cost_usd += finite(own(m, 'cost_usd'));
				const mt = tokensFrom(own(m, 'tokens'));
				for (const t of TOKEN_TYPES) usage.tokens[t] += mt[t];
			}
			const counters = own(entry, 'counters');
			for (const c of Array.isArray(counters) ? counters : []) {
				if (!isObj(c) || typeof own(c, 'metric') !== 'string') continue;
				const type = own(c, 'type');
				const counter = sums.counter(own(c, 'metric') as string, typeof type === 'string' ? type : null);
				if (counter !== null) counter.value += finite(own(c, 'value'));
			}
		}
		return true;
	}

	/** One session's totals (null: the points that named no session), or undefined when none were seen. */
	session(id: string | null): SessionUsage | undefined {
		return this.table.map.get(id === null ? '\u0000' : `s${id}`)?.toUsage();
	}

	sessions(): SessionUsage[] {
		return [...this.table.map.values()].map((s) => s.toUsage());
	}
}
