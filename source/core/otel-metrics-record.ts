/**
 * The `otel.metrics` record: one per metrics export that added anything, carrying the export's
 * folded deltas (usage/otel-metrics.ts) as its payload, so that the per-session totals can be
 * rebuilt from the history or the journal. The pipeline's converter (pipeline.ts
 * `ingestConverted`). Pure.
 */
import type {PendingRecord} from './record.js';
import type {NormalizeLimits, NormalizeMeta, NormalizeResult} from './normalize.js';
import {isObj} from './otel-values.js';
import {summarize} from './summary.js';
import {DEFAULT_MAX_FIELD_BYTES, truncatePayload} from './truncate.js';
import type {MetricsFold} from './usage/otel-metrics.js';

export const METRICS_RECORD_TYPE = 'otel.metrics';

/** What the converter takes: the fold's session, time and delta. */
export function metricsCandidate(fold: MetricsFold): {
	session: string | null;
	timeMs: number | null;
	payload: Record<string, unknown>;
} {
	return {
		session: fold.session,
		timeMs: fold.timeMs,
		payload: fold.delta as unknown as Record<string, unknown>,
	};
}

export function otelMetricsRecord(
	value: unknown,
	meta: NormalizeMeta,
	limits?: Partial<NormalizeLimits>,
): NormalizeResult {
	if (!isObj(value) || !isObj(value.payload)) return {ok: false, error: 'not an OTLP metrics fold'};
	const payload = value.payload;
	const timeMs = typeof value.timeMs === 'number' ? value.timeMs : null;
	const cut = truncatePayload(payload, limits?.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES);
	const record: PendingRecord = {
		id: meta.id,
		time: timeMs === null ? meta.receivedAt : new Date(timeMs).toISOString(),
		received: meta.received ?? meta.receivedAt,
		session: typeof value.session === 'string' ? value.session : null,
		type: METRICS_RECORD_TYPE,
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
		summary: summarize(METRICS_RECORD_TYPE, payload),
		source: meta.source,
		payload: cut.payload,
	};
	return {ok: true, record, truncated: cut.truncated};
}
