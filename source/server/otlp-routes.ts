/**
 * The OTLP/HTTP JSON receiver (docs/protocol.md, "OpenTelemetry"): `POST /v1/logs`,
 * `/v1/metrics` and `/v1/traces` on the server's port, so that Claude Code's
 * `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:8765` works as is. The caller (http-routes.ts)
 * has applied the Origin, Host and token rules. Answers are OTLP's: 200 with a JSON body, and
 * `partialSuccess` with the count of refused records and why; a body that cannot be read is a
 * 400/413/415 with `{error, message}`; a journal that cannot write is a 503 (the exporter retries).
 *
 * - logs: each log record becomes an event record through the pipeline (core/otel-logs.ts);
 * - metrics: each export is folded (core/usage/otel-metrics.ts) into at most one `otel.metrics`
 *   record carrying its deltas; nothing when it added nothing;
 * - traces: read, counted and ignored (said in the answer and in /api/status).
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import {splitLogsRequest, otelLogRecord} from '../core/otel-logs.js';
import {metricsCandidate, otelMetricsRecord} from '../core/otel-metrics-record.js';
import {isObj, missingListWarning, own} from '../core/otel-values.js';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';
import {OtelMetricsFolder} from '../core/usage/otel-metrics.js';
import type {OtelStats} from '../core/wire.js';
import {discardRest, MAX_BODY_BYTES} from './body.js';
import {otlpTypeError, readOtlpBody} from './otlp-body.js';
import type {Convert, IngestMeta} from './pipeline.js';
import type {ServerGuard} from './server-guard.js';
import type {IngestResult, RejectedItem} from './types.js';

export const OTLP_PATHS = ['/v1/logs', '/v1/metrics', '/v1/traces'] as const;
export type OtlpPath = (typeof OTLP_PATHS)[number];

/** Reasons quoted in an answer's errorMessage (all are counted). */
const MAX_REASONS = 3;

export interface OtlpDeps {
	guard: ServerGuard;
	/** Keep `user.email` and the other identity attributes (`--otel-keep-identity`). */
	keepIdentity: boolean;
	ingestConverted(
		items: Array<{value: unknown; index: number}>,
		rejected: RejectedItem[],
		meta: IngestMeta,
		convert: Convert,
	): IngestResult;
}

/** gRPC status codes for the `code` of an OTLP error body (google.rpc.Status). */
const GRPC_CODE = new Map([
	[400, 3],
	[413, 8],
	[415, 3],
	[503, 14],
	[507, 14],
]);

function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = escapeJsonForTerminal(JSON.stringify(body));
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		...headers,
	});
	res.end(text);
}

/** A refusal: `error` like every mpm-tui refusal, `code` and `message` as OTLP's Status has them. */
function sendError(
	res: ServerResponse,
	status: number,
	error: string,
	headers: Record<string, string> = {},
): void {
	sendJson(res, status, {error, code: GRPC_CODE.get(status) ?? 2, message: error}, headers);
}

/** `n of m log records refused: reason; reason; …` */
function errorMessage(
	rejected: number,
	total: number,
	noun: string,
	reasons: string[],
	problems: string[],
): string {
	const parts: string[] = [];
	if (rejected > 0) {
		const shown = reasons.slice(0, MAX_REASONS).join('; ');
		parts.push(
			`${rejected} of ${total} ${noun} refused: ${shown}${reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : ''}`,
		);
	}
	if (problems.length > 0)
		parts.push(
			`not read: ${problems.slice(0, MAX_REASONS).join('; ')}${problems.length > MAX_REASONS ? `; and ${problems.length - MAX_REASONS} more` : ''}`,
		);
	return parts.join('. ');
}

export function emptyOtelStats(): OtelStats {
	return {
		logs: {requests: 0, records: 0, rejected: 0, duplicates: 0, identityDropped: 0},
		metrics: {requests: 0, points: 0, ignored: 0, baseline: 0, rejected: 0, records: 0, series: 0},
		traces: {requests: 0, spansIgnored: 0},
	};
}

export class OtlpReceiver {
	readonly stats = emptyOtelStats();
	private readonly folder: OtelMetricsFolder;

	constructor(
		private readonly deps: OtlpDeps,
		startedMs: number,
	) {
		this.folder = new OtelMetricsFolder(startedMs);
	}

	snapshot(): OtelStats {
		return {
			logs: {...this.stats.logs},
			metrics: {...this.stats.metrics, series: this.folder.seriesCount},
			traces: {...this.stats.traces},
		};
	}

	async handle(req: IncomingMessage, res: ServerResponse, path: OtlpPath): Promise<void> {
		const typeError = otlpTypeError(req);
		if (typeError !== null) {
			if (!(await discardRest(req))) res.setHeader('Connection', 'close');
			return sendError(res, 415, typeError);
		}
		const body = await readOtlpBody(req, res, this.deps.guard);
		if (!body.ok) return sendError(res, body.status, body.error);
		if (path === '/v1/logs') return this.logs(res, body.value);
		if (path === '/v1/metrics') return this.metrics(res, body.value);
		return this.traces(res, body.value);
	}

	private logs(res: ServerResponse, body: unknown): void {
		this.stats.logs.requests++;
		// Records copy their resource's and scope's attributes: what one request stores is bounded like its body.
		const split = splitLogsRequest(body, {
			keepIdentity: this.deps.keepIdentity,
			maxCopiedBytes: MAX_BODY_BYTES,
		});
		if (!split.ok) return sendError(res, split.tooLarge ? 413 : 400, split.error);
		const {items, problems} = split.value;
		if (items.length === 0 && problems.length > 0)
			return sendError(res, 400, errorMessage(0, 0, 'log records', [], problems));
		const warning = missingListWarning(body, 'resourceLogs', 'logs');
		if (warning !== null)
			return sendJson(res, 200, {partialSuccess: {rejectedLogRecords: '0', errorMessage: warning}});
		const good: Array<{value: unknown; index: number}> = [];
		const refused: RejectedItem[] = [];
		for (const item of items) {
			if (item.ok) good.push({value: item.value, index: item.index});
			else refused.push({index: item.index, error: item.error});
		}
		const result = this.deps.ingestConverted(good, refused, {source: 'otel'}, otelLogRecord);
		if (result.fault)
			return sendError(res, 503, `not stored: ${result.fault.message}; send it again later`, {
				'Retry-After': '5',
			});
		this.stats.logs.records += result.accepted;
		this.stats.logs.duplicates += result.duplicates;
		this.stats.logs.rejected += result.rejected.length;
		this.stats.logs.identityDropped += split.value.identityDropped;
		if (result.rejected.length === 0 && problems.length === 0) return sendJson(res, 200, {});
		sendJson(res, 200, {
			partialSuccess: {
				rejectedLogRecords: String(result.rejected.length),
				errorMessage: errorMessage(
					result.rejected.length,
					items.length,
					'log records',
					result.rejected.map((r) => r.error),
					problems,
				),
			},
		});
	}

	private metrics(res: ServerResponse, body: unknown): void {
		this.stats.metrics.requests++;
		const folded = this.folder.fold(body, {keepIdentity: this.deps.keepIdentity});
		if (!folded.ok) return sendError(res, 400, folded.error);
		const fold = folded.value;
		const warning = missingListWarning(body, 'resourceMetrics', 'metrics');
		if (warning !== null)
			return sendJson(res, 200, {partialSuccess: {rejectedDataPoints: '0', errorMessage: warning}});
		if (
			fold.problems.length > 0 &&
			fold.delta.points === 0 &&
			fold.rejected === 0 &&
			fold.delta.ignored === 0
		)
			return sendError(res, 400, errorMessage(0, 0, 'data points', [], fold.problems));
		if (fold.changed) {
			const result = this.deps.ingestConverted(
				[{value: metricsCandidate(fold), index: 0}],
				[],
				{source: 'otel'},
				otelMetricsRecord,
			);
			// Nothing stored: the cumulative values stay as they were, so the retried export counts once.
			if (result.fault)
				return sendError(res, 503, `not stored: ${result.fault.message}; send it again later`, {
					'Retry-After': '5',
				});
			if (result.accepted === 0 && result.duplicates === 0)
				return sendError(
					res,
					500,
					'the metrics could not be recorded (an internal error, logged on the server)',
				);
			this.stats.metrics.records += result.accepted;
		}
		fold.commit();
		this.stats.metrics.points += fold.delta.points;
		this.stats.metrics.ignored += fold.delta.ignored;
		this.stats.metrics.baseline += fold.delta.baseline;
		this.stats.metrics.rejected += fold.rejected;
		if (fold.rejected === 0 && fold.problems.length === 0) return sendJson(res, 200, {});
		sendJson(res, 200, {
			partialSuccess: {
				rejectedDataPoints: String(fold.rejected),
				errorMessage: errorMessage(
					fold.rejected,
					fold.rejected + fold.delta.points + fold.delta.ignored,
					'data points',
					fold.errors,
					fold.problems,
				),
			},
		});
	}

	private traces(res: ServerResponse, body: unknown): void {
		this.stats.traces.requests++;
		if (!isObj(body))
			return sendError(res, 400, 'an OTLP traces request must be a JSON object with resourceSpans');
		let spans = 0;
		const resources = own(body, 'resourceSpans');
		for (const rs of Array.isArray(resources) ? resources : []) {
			const scopes = isObj(rs) ? own(rs, 'scopeSpans') : undefined;
			for (const ss of Array.isArray(scopes) ? scopes : []) {
				const list = isObj(ss) ? own(ss, 'spans') : undefined;
				if (Array.isArray(list)) spans += list.length;
			}
		}
		this.stats.traces.spansIgnored += spans;
		// OTLP's way to warn while accepting everything: rejected 0 and a message.
		sendJson(res, 200, {
			partialSuccess: {
				rejectedSpans: '0',
				errorMessage: `mpm-tui does not use traces: ${spans} span${spans === 1 ? '' : 's'} accepted and ignored`,
			},
		});
	}
}
