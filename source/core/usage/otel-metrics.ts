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
 *
 * The per-session sums are in otel-metrics-sums.ts, the reading of a data point in
 * otel-metrics-points.ts, the running totals rebuilt from the records in otel-metrics-totals.ts.
 */
import {
	decodeEnum,
	decodeKeyValues,
	decodeUnixNano,
	isObj,
	own,
	ownArray,
	type Decoded,
} from '../otel-values.js';
import {jsonTypeName} from '../parse-body.js';
import {attributesKey, pointValue, strAttr, withoutIdentity} from './otel-metrics-points.js';
import {
	COST_METRIC,
	emptyTokens,
	isTokenType,
	SessionTable,
	TOKEN_METRIC,
	TOKEN_TYPES,
	type SessionUsage,
	type TokenCounts,
} from './otel-metrics-sums.js';

export {
	COST_METRIC,
	emptyTokens,
	MAX_KEYS_PER_SESSION,
	MAX_SESSIONS,
	TOKEN_METRIC,
	TOKEN_TYPES,
	type CounterUsage,
	type ModelUsage,
	type SessionUsage,
	type TokenCounts,
	type TokenType,
} from './otel-metrics-sums.js';
export {OtelUsageTotals} from './otel-metrics-totals.js';

/** Cumulative series remembered (the least recently seen is forgotten first). */
export const MAX_SERIES = 10_000;

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

interface Series {
	start: number | null;
	value: number;
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
