/**
 * The `otel.metrics` records (core/otel-metrics-record.ts) as the usage join (usage-view.ts) holds
 * them: per session, the $ and tokens summed, per model, and the recent deltas the burn rate reads.
 * Pure.
 */
import type {EventRecord} from '../record.js';
import {toNano} from './usage-accum.js';
import {countOf, emptyTokens, idOf, own, timeOf, usdOf} from './usage-fields.js';
import type {TokenTotals} from './usage-types.js';

export interface MetricsState {
	nano: number;
	tokens: TokenTotals;
	models: Map<string, {model: string; nano: number; tokens: TokenTotals}>;
	/** Recent deltas for the burn rate (time, nano-dollars), the last MAX_METRIC_DELTAS. */
	deltas: Array<{time: number; nano: number}>;
}

const MAX_METRIC_DELTAS = 256;
const MAX_METRIC_MODELS = 32;

/**
 * One `otel.metrics` record folded into the sessions it names; `sessionAt(key, time)` is the
 * join's session (made or moved to most recently active).
 */
export function foldMetrics(
	rec: EventRecord,
	t: number,
	sessionAt: (key: string, time: number) => {metrics: MetricsState | null},
): void {
	const list = own(rec.payload, 'sessions');
	if (!Array.isArray(list)) return;
	const time = timeOf(
		{
			...rec,
			time: typeof own(rec.payload, 'time') === 'string' ? (own(rec.payload, 'time') as string) : rec.time,
		},
		t,
	);
	for (const item of list.slice(0, 1000)) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
		const o = item as Record<string, unknown>;
		const s = sessionAt(idOf(own(o, 'session')) ?? '', time);
		s.metrics ??= {nano: 0, tokens: emptyTokens(), models: new Map(), deltas: []};
		const m: MetricsState = s.metrics;
		const nano = toNano(usdOf(own(o, 'cost_usd')) ?? 0);
		const tokens = metricTokens(own(o, 'tokens'));
		m.nano += nano;
		addInto(m.tokens, tokens);
		m.deltas.push({time, nano});
		if (m.deltas.length > MAX_METRIC_DELTAS) m.deltas.shift();
		const models = own(o, 'models');
		for (const mm of Array.isArray(models) ? models.slice(0, MAX_METRIC_MODELS) : []) {
			if (typeof mm !== 'object' || mm === null || Array.isArray(mm)) continue;
			const name = idOf(own(mm as Record<string, unknown>, 'model'));
			if (name === null) continue;
			let sum = m.models.get(name);
			if (sum === undefined) {
				if (m.models.size >= MAX_METRIC_MODELS) continue;
				sum = {model: name, nano: 0, tokens: emptyTokens()};
				m.models.set(name, sum);
			}
			sum.nano += toNano(usdOf(own(mm as Record<string, unknown>, 'cost_usd')) ?? 0);
			addInto(sum.tokens, metricTokens(own(mm as Record<string, unknown>, 'tokens')));
		}
	}
}

function addInto(into: TokenTotals, from: TokenTotals): void {
	into.input += from.input;
	into.output += from.output;
	into.cacheWrite += from.cacheWrite;
	into.cacheRead += from.cacheRead;
}

/** `otel.metrics` token counts (`input`, `output`, `cacheRead`, `cacheCreation`). */
function metricTokens(value: unknown): TokenTotals {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return emptyTokens();
	const o = value as Record<string, unknown>;
	return {
		input: countOf(own(o, 'input')) ?? 0,
		output: countOf(own(o, 'output')) ?? 0,
		cacheWrite: countOf(own(o, 'cacheCreation')) ?? 0,
		cacheRead: countOf(own(o, 'cacheRead')) ?? 0,
	};
}
