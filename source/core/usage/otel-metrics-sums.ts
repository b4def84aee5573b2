/**
 * What the OTLP metrics fold (otel-metrics.ts) and the running totals (otel-metrics-totals.ts) sum
 * per session: cost in USD, tokens by type, each also per model, and every other sum by metric and
 * `type` attribute; bounded, keyed by Maps. Pure.
 */

export const COST_METRIC = 'claude_code.cost.usage';
export const TOKEN_METRIC = 'claude_code.token.usage';
export const TOKEN_TYPES = ['input', 'output', 'cacheRead', 'cacheCreation'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenCounts = Record<TokenType, number>;

/** Sessions, and models or counters per session, that one fold or the totals keep. */
export const MAX_SESSIONS = 10_000;
export const MAX_KEYS_PER_SESSION = 256;

export interface ModelUsage {
	model: string;
	cost_usd: number;
	tokens: TokenCounts;
}

export interface CounterUsage {
	metric: string;
	/** The point's `type` attribute (`added`, `user`…), or null. */
	type: string | null;
	value: number;
}

export interface SessionUsage {
	session: string | null;
	cost_usd: number;
	tokens: TokenCounts;
	models: ModelUsage[];
	counters: CounterUsage[];
}

export function emptyTokens(): TokenCounts {
	return {input: 0, output: 0, cacheRead: 0, cacheCreation: 0};
}

export function isTokenType(value: unknown): value is TokenType {
	return value === 'input' || value === 'output' || value === 'cacheRead' || value === 'cacheCreation';
}

/** Per-session sums, keyed by Maps (session ids and model names come from the sender). */
class SessionSums {
	cost = 0;
	readonly tokens = emptyTokens();
	readonly models = new Map<string, ModelUsage>();
	readonly counters = new Map<string, CounterUsage>();

	constructor(readonly session: string | null) {}

	model(name: string): ModelUsage | null {
		let entry = this.models.get(name);
		if (entry === undefined) {
			if (this.models.size >= MAX_KEYS_PER_SESSION) return null;
			entry = {model: name, cost_usd: 0, tokens: emptyTokens()};
			this.models.set(name, entry);
		}
		return entry;
	}

	counter(metric: string, type: string | null): CounterUsage | null {
		const key = `${metric}\u0000${type ?? ''}`;
		let entry = this.counters.get(key);
		if (entry === undefined) {
			if (this.counters.size >= MAX_KEYS_PER_SESSION) return null;
			entry = {metric, type, value: 0};
			this.counters.set(key, entry);
		}
		return entry;
	}

	addCost(value: number, model: string | null): void {
		this.cost += value;
		if (model !== null) {
			const m = this.model(model);
			if (m) m.cost_usd += value;
		}
	}

	addTokens(type: TokenType, value: number, model: string | null): void {
		this.tokens[type] += value;
		if (model !== null) {
			const m = this.model(model);
			if (m) m.tokens[type] += value;
		}
	}

	toUsage(): SessionUsage {
		return {
			session: this.session,
			cost_usd: this.cost,
			tokens: {...this.tokens},
			models: [...this.models.values()].map((m) => ({
				model: m.model,
				cost_usd: m.cost_usd,
				tokens: {...m.tokens},
			})),
			counters: [...this.counters.values()].map((c) => ({...c})),
		};
	}
}

/** A Map of sessions (null is its own key), bounded. */
export class SessionTable {
	readonly map = new Map<string, SessionSums>();

	get(session: string | null): SessionSums | null {
		// `\u0000` cannot start a session id that the record's field would show; it stands for "none".
		const key = session === null ? '\u0000' : `s${session}`;
		let entry = this.map.get(key);
		if (entry === undefined) {
			if (this.map.size >= MAX_SESSIONS) return null;
			entry = new SessionSums(session);
			this.map.set(key, entry);
		}
		return entry;
	}
}
