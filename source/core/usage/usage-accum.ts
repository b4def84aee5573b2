/**
 * A running sum of usage (tokens, dollars by source, API time, requests, errors, models), the
 * building block of every usage row. Dollars are summed as whole nano-dollars so that a sum does
 * not depend on the order of its terms (floating-point addition does). Pure.
 */
import {emptyTokens} from './usage-fields.js';
import type {CostBySource, CostSource, ModelTotals, TokenTotals, UsageTotals} from './usage-types.js';

export type CostKey = keyof CostBySource;

/** One request's contribution, after the join chose its figures. */
export interface RequestFigures {
	tokens: TokenTotals;
	usd: number | null;
	source: CostKey | null;
	apiMs: number;
	model: string | null;
}

/** Models kept per row; the rest are summed under OTHER_MODELS. */
export const MAX_MODELS = 32;
export const OTHER_MODELS = '(other models)';

const NANO = 1e9;

export function toNano(usd: number): number {
	return Math.round(usd * NANO);
}

interface ModelSum {
	requests: number;
	nano: number;
	tokens: TokenTotals;
}

function addTokens(into: TokenTotals, from: TokenTotals): void {
	into.input += from.input;
	into.output += from.output;
	into.cacheWrite += from.cacheWrite;
	into.cacheRead += from.cacheRead;
}

export class UsageAccum {
	readonly tokens = emptyTokens();
	readonly nano: Record<CostKey, number> = {telemetry: 0, transcript: 0, pricedHere: 0, metrics: 0};
	unpriced = 0;
	apiMs = 0;
	requests = 0;
	errors = 0;
	private readonly models = new Map<string, ModelSum>();

	addRequest(r: RequestFigures): void {
		this.requests++;
		addTokens(this.tokens, r.tokens);
		this.apiMs += r.apiMs;
		const nano = r.usd === null ? 0 : toNano(r.usd);
		if (r.source === null || r.usd === null) this.unpriced++;
		else this.nano[r.source] += nano;
		if (r.model !== null) this.addModel(r.model, 1, nano, r.tokens);
	}

	/** Figures from telemetry metrics (no request count, no API time). */
	addMetrics(
		nano: number,
		tokens: TokenTotals,
		models: Iterable<{model: string; nano: number; tokens: TokenTotals}>,
	): void {
		this.nano.metrics += nano;
		addTokens(this.tokens, tokens);
		for (const m of models) this.addModel(m.model, 0, m.nano, m.tokens);
	}

	add(other: UsageAccum): void {
		addTokens(this.tokens, other.tokens);
		for (const key of Object.keys(this.nano) as CostKey[]) this.nano[key] += other.nano[key];
		this.unpriced += other.unpriced;
		this.apiMs += other.apiMs;
		this.requests += other.requests;
		this.errors += other.errors;
		for (const [model, sum] of other.models) this.addModel(model, sum.requests, sum.nano, sum.tokens);
	}

	get totalNano(): number {
		return this.nano.telemetry + this.nano.transcript + this.nano.pricedHere + this.nano.metrics;
	}

	totals(): UsageTotals {
		const cost: CostBySource = {
			telemetry: this.nano.telemetry / NANO,
			transcript: this.nano.transcript / NANO,
			pricedHere: this.nano.pricedHere / NANO,
			metrics: this.nano.metrics / NANO,
		};
		const models: ModelTotals[] = [...this.models].map(([model, s]) => ({
			model,
			requests: s.requests,
			costUSD: s.nano / NANO,
			tokens: {...s.tokens},
		}));
		models.sort(
			(a, b) =>
				b.costUSD - a.costUSD ||
				b.requests - a.requests ||
				(a.model < b.model ? -1 : a.model > b.model ? 1 : 0),
		);
		return {
			tokens: {...this.tokens},
			costUSD: this.totalNano / NANO,
			cost,
			costSource: sourceOf(this.nano),
			unpriced: this.unpriced,
			apiMs: this.apiMs,
			requests: this.requests,
			errors: this.errors,
			models,
		};
	}

	private addModel(model: string, requests: number, nano: number, tokens: TokenTotals): void {
		let sum = this.models.get(model);
		if (sum === undefined) {
			if (this.models.size >= MAX_MODELS && model !== OTHER_MODELS)
				return this.addModel(OTHER_MODELS, requests, nano, tokens);
			sum = {requests: 0, nano: 0, tokens: emptyTokens()};
			this.models.set(model, sum);
		}
		sum.requests += requests;
		sum.nano += nano;
		addTokens(sum.tokens, tokens);
	}
}

const SOURCE_NAMES: Record<CostKey, CostSource> = {
	telemetry: 'telemetry',
	transcript: 'transcript',
	pricedHere: 'priced here',
	metrics: 'metrics',
};

function sourceOf(nano: Record<CostKey, number>): CostSource | null {
	let found: CostSource | null = null;
	for (const key of Object.keys(nano) as CostKey[]) {
		if (nano[key] === 0) continue;
		if (found !== null) return 'mixed';
		found = SOURCE_NAMES[key];
	}
	return found;
}
