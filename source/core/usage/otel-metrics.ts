/**
 * Claude Code's OTLP metrics, folded. An ExportMetricsServiceRequest becomes the usage it adds:
 * per session, cost in USD (`claude_code.cost.usage`) and tokens by type (`claude_code.token.usage`:
 * input, output, cacheRead, cacheCreation), each also per model, and every other sum
 * (`claude_code.lines_of_code.count`, `claude_code.active_time.total`, …) by metric and `type`
 * attribute. One export gives at most one `otel.metrics` record carrying these deltas; the totals
 * (OtelUsageTotals) are the sum of those records' deltas, so they can be rebuilt from the history
 * or the journal after a restart.
 *
 * Temporality: delta points (Claude Code's default) are taken as they are. A cumulative series
 * gives the difference from the last value seen for it (same metric, resource and point
 * attributes, same start time; a lower value or another start time is a reset and counts whole).
 * The first point of a cumulative series that started before this folder (the server) did is
 * only a baseline: its total may have been counted by a server that ran before. Gauges and
 * histograms are counted as ignored. Pure.
 */
import {isIdentityAttribute} from '../otel-identity.js';
import {
	decodeDouble,
	decodeEnum,
	decodeInt64,
	decodeKeyValues,
	decodeUnixNano,
	isObj,
	own,
	ownArray,
	type Decoded,
} from '../otel-values.js';
import {jsonTypeName} from '../parse-body.js';

export const COST_METRIC = 'claude_code.cost.usage';
export const TOKEN_METRIC = 'claude_code.token.usage';
export const TOKEN_TYPES = ['input', 'output', 'cacheRead', 'cacheCreation'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenCounts = Record<TokenType, number>;

/** Cumulative series remembered (the least recently seen is forgotten first). */
export const MAX_SERIES = 10_000;
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

/** The payload of an `otel.metrics` record. */
export interface MetricsDelta {
	total: {cost_usd: number} & TokenCounts;
	sessions: SessionUsage[];
	/** Data points folded, ignored (gauges, histograms), taken as a cumulative baseline only. */
	points: number;
	ignored: number;
	baseline: number;
	/** ISO time of the latest data point, or null. */
	time: string | null;
}

export interface MetricsFold {
	delta: MetricsDelta;
	/** True when the export added anything (a record is worth writing). */
	changed: boolean;
	/** The single session the export is about, or null. */
	session: string | null;
	timeMs: number | null;
	/** Data points refused, with the first reasons. */
	rejected: number;
	errors: string[];
	/** Parts above the data points that could not be read. */
	problems: string[];
	/** Remembers the cumulative values this export brought; call once it is stored. */
	commit(): void;
}

const TEMPORALITY = new Map([
	['AGGREGATION_TEMPORALITY_UNSPECIFIED', 0],
	['AGGREGATION_TEMPORALITY_DELTA', 1],
	['AGGREGATION_TEMPORALITY_CUMULATIVE', 2],
]);
const IGNORED_KINDS = ['gauge', 'histogram', 'exponentialHistogram', 'summary'] as const;
const MAX_ERRORS = 5;

export function emptyTokens(): TokenCounts {
	return {input: 0, output: 0, cacheRead: 0, cacheCreation: 0};
}

function isTokenType(value: unknown): value is TokenType {
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
class SessionTable {
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

interface Series {
	start: number | null;
	value: number;
}

/** A value of a data point: `asDouble` or `asInt`. */
function pointValue(point: Record<string, unknown>): Decoded<number> {
	if (Object.hasOwn(point, 'asDouble')) {
		const d = decodeDouble(point.asDouble);
		if (!d.ok) return {ok: false, error: `asDouble: ${d.error}`};
		if (typeof d.value !== 'number' || !Number.isFinite(d.value))
			return {ok: false, error: `asDouble must be a finite number, got ${String(d.value)}`};
		return {ok: true, value: d.value};
	}
	if (Object.hasOwn(point, 'asInt')) {
		const n = decodeInt64(point.asInt);
		if (!n.ok) return {ok: false, error: `asInt: ${n.error}`};
		return {ok: true, value: Number(n.value)};
	}
	return {ok: false, error: 'has no value (asDouble or asInt)'};
}

/** A canonical text for a set of attributes (sorted keys), for the cumulative series' key. */
function attributesKey(maps: Array<Map<string, unknown>>): string {
	const entries: Array<[string, unknown]> = [];
	for (const map of maps) for (const entry of map) entries.push(entry);
	entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return JSON.stringify(entries);
}

function withoutIdentity(map: Map<string, unknown>, keep: boolean): Map<string, unknown> {
	if (keep) return map;
	let out: Map<string, unknown> | undefined;
	for (const key of map.keys()) {
		if (!isIdentityAttribute(key)) continue;
		out ??= new Map(map);
		out.delete(key);
	}
	return out ?? map;
}

function strAttr(maps: Array<Map<string, unknown>>, key: string): string | null {
	for (let i = maps.length - 1; i >= 0; i--) {
		const value = maps[i].get(key);
		if (typeof value === 'string' && value !== '') return value;
	}
	return null;
}

export interface FoldOptions {
	keepIdentity?: boolean;
}

/** Folds exports; remembers cumulative series between them. */
export class OtelMetricsFolder {
	private readonly series = new Map<string, Series>();

	/** `startedMs`: when the server started (a cumulative series that started before is a baseline at first sight). */
	constructor(private readonly startedMs: number) {}

	get seriesCount(): number {
		return this.series.size;
	}

	fold(body: unknown, options: FoldOptions = {}): Decoded<MetricsFold> {
		if (!isObj(body))
			return {
				ok: false,
				error: `an OTLP metrics request must be a JSON object with resourceMetrics, got ${jsonTypeName(body)}`,
			};
		const resources = ownArray(body, 'resourceMetrics', '');
		if (!resources.ok) return resources;
		const keep = options.keepIdentity === true;
		const table = new SessionTable();
		const staged = new Map<string, Series>();
		const errors: string[] = [];
		const problems: string[] = [];
		let rejected = 0;
		let points = 0;
		let ignored = 0;
		let baseline = 0;
		let latest: number | null = null;
		const refuse = (error: string, count = 1) => {
			rejected += count;
			if (errors.length < MAX_ERRORS) errors.push(error);
		};
		const list = resources.value ?? [];
		for (let r = 0; r < list.length; r++) {
			const rm = list[r];
			const where = `resourceMetrics[${r}]`;
			if (!isObj(rm)) {
				problems.push(`${where} must be an object, got ${jsonTypeName(rm)}`);
				continue;
			}
			const resource = own(rm, 'resource');
			const resourceAttrs = decodeKeyValues(
				isObj(resource) ? own(resource, 'attributes') : undefined,
				`${where}.resource.attributes`,
			);
			const scopes = ownArray(rm, 'scopeMetrics', `${where}.`);
			if (!scopes.ok) {
				problems.push(scopes.error);
				continue;
			}
			for (let s = 0; s < (scopes.value ?? []).length; s++) {
				const sm = scopes.value![s];
				const at = `${where}.scopeMetrics[${s}]`;
				if (!isObj(sm)) {
					problems.push(`${at} must be an object, got ${jsonTypeName(sm)}`);
					continue;
				}
				const metrics = ownArray(sm, 'metrics', `${at}.`);
				if (!metrics.ok) {
					problems.push(metrics.error);
					continue;
				}
				for (let m = 0; m < (metrics.value ?? []).length; m++) {
					const metric = metrics.value![m];
					const mAt = `${at}.metrics[${m}]`;
					if (!isObj(metric)) {
						problems.push(`${mAt} must be an object, got ${jsonTypeName(metric)}`);
						continue;
					}
					const ignoredKind = IGNORED_KINDS.find((kind) => isObj(own(metric, kind)));
					if (ignoredKind !== undefined) {
						const dps = own(own(metric, ignoredKind) as Record<string, unknown>, 'dataPoints');
						ignored += Array.isArray(dps) ? dps.length : 0;
						continue;
					}
					const name = own(metric, 'name');
					const sum = own(metric, 'sum');
					if (!isObj(sum)) {
						problems.push(`${mAt} has no sum, gauge or histogram`);
						continue;
					}
					const dps = ownArray(sum, 'dataPoints', `${mAt}.sum.`);
					if (!dps.ok) {
						problems.push(dps.error);
						continue;
					}
					const count = dps.value?.length ?? 0;
					if (typeof name !== 'string' || name === '') {
						refuse(`${mAt}: name must be a non-empty string, got ${jsonTypeName(name)}`, count);
						continue;
					}
					if (!resourceAttrs.ok) {
						refuse(resourceAttrs.error, count);
						continue;
					}
					const temporality = decodeEnum(
						own(sum, 'aggregationTemporality'),
						TEMPORALITY,
						`${mAt}.sum.aggregationTemporality`,
					);
					if (!temporality.ok || (temporality.value !== 1 && temporality.value !== 2)) {
						refuse(
							temporality.ok
								? `${mAt}: aggregationTemporality must be 1 (delta) or 2 (cumulative), got ${temporality.value}`
								: temporality.error,
							count,
						);
						continue;
					}
					const cumulative = temporality.value === 2;
					const outer = withoutIdentity(resourceAttrs.value, keep);
					for (let p = 0; p < count; p++) {
						const point = dps.value![p];
						const pAt = `${mAt}.sum.dataPoints[${p}]`;
						if (!isObj(point)) {
							refuse(`${pAt} must be an object, got ${jsonTypeName(point)}`);
							continue;
						}
						const attrs = decodeKeyValues(own(point, 'attributes'), `${pAt}.attributes`);
						if (!attrs.ok) {
							refuse(attrs.error);
							continue;
						}
						const value = pointValue(point);
						if (!value.ok) {
							refuse(`${pAt} ${value.error}`);
							continue;
						}
						const time = decodeUnixNano(own(point, 'timeUnixNano'), `${pAt}.timeUnixNano`);
						const start = decodeUnixNano(own(point, 'startTimeUnixNano'), `${pAt}.startTimeUnixNano`);
						if (!time.ok || !start.ok) {
							refuse(time.ok ? (start as {error: string}).error : time.error);
							continue;
						}
						const maps = [outer, withoutIdentity(attrs.value, keep)];
						let delta = value.value;
						if (cumulative) {
							const key = `${name}\u0000${attributesKey(maps)}`;
							const before = staged.get(key) ?? this.series.get(key);
							staged.set(key, {start: start.value, value: value.value});
							if (before === undefined) {
								// First sight: counted whole only when the series began while this server ran.
								if (start.value === null || start.value < this.startedMs) {
									baseline++;
									points++;
									continue;
								}
							} else if (before.start === start.value && value.value >= before.value)
								delta = value.value - before.value;
						}
						points++;
						if (time.value !== null && (latest === null || time.value > latest)) latest = time.value;
						if (delta === 0) continue;
						const sums = table.get(strAttr(maps, 'session.id'));
						if (sums === null) continue;
						const model = strAttr(maps, 'model');
						const type = strAttr(maps, 'type');
						if (name === COST_METRIC) sums.addCost(delta, model);
						else if (name === TOKEN_METRIC && isTokenType(type)) sums.addTokens(type, delta, model);
						else {
							const counter = sums.counter(name, type);
							if (counter !== null) counter.value += delta;
						}
					}
				}
			}
		}
		const sessions = [...table.map.values()].map((s) => s.toUsage());
		const total = {cost_usd: 0, ...emptyTokens()};
		for (const s of sessions) {
			total.cost_usd += s.cost_usd;
			for (const t of TOKEN_TYPES) total[t] += s.tokens[t];
		}
		const changed = sessions.some(
			(s) =>
				s.cost_usd !== 0 ||
				TOKEN_TYPES.some((t) => s.tokens[t] !== 0) ||
				s.counters.some((c) => c.value !== 0),
		);
		const series = this.series;
		return {
			ok: true,
			value: {
				delta: {
					total,
					sessions,
					points,
					ignored,
					baseline,
					time: latest === null ? null : new Date(latest).toISOString(),
				},
				changed,
				session: sessions.length === 1 ? sessions[0].session : null,
				timeMs: latest,
				rejected,
				errors,
				problems,
				commit() {
					for (const [key, value] of staged) {
						series.delete(key);
						series.set(key, value);
					}
					while (series.size > MAX_SERIES) series.delete(series.keys().next().value!);
				},
			},
		};
	}
}

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
