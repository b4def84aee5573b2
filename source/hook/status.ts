/**
 * What `mpm-tui hooks status` reports besides the settings files: whether the server answers
 * `GET /health`, and the forwarder's spool backlog (bytes, lines, events dropped when it was full).
 */
import fs from 'node:fs';

export type Health =
	{ok: true; service: string; version: string; pid: number | undefined} | {ok: false; error: string};

export async function probeHealth(
	baseUrl: string,
	token: string | undefined,
	timeoutMs = 800,
): Promise<Health> {
	try {
		const response = await fetch(`${baseUrl}/health`, {
			signal: AbortSignal.timeout(timeoutMs),
			headers: token ? {authorization: `Bearer ${token}`} : {},
		});
		if (!response.ok) return {ok: false, error: `GET /health answered ${response.status}`};
		const body = (await response.json()) as {service?: unknown; version?: unknown; pid?: unknown};
		return {
			ok: true,
			service: typeof body.service === 'string' ? body.service : 'unknown service',
			version: typeof body.version === 'string' ? body.version : '?',
			pid: typeof body.pid === 'number' ? body.pid : undefined,
		};
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		if ((error as Error).name === 'TimeoutError')
			return {ok: false, error: `no answer within ${timeoutMs} ms`};
		return {ok: false, error: cause === 'ECONNREFUSED' ? 'nothing is listening' : (error as Error).message};
	}
}

export interface SpoolStatus {
	path: string;
	bytes: number;
	lines: number;
	dropped: number;
}

export function spoolStatus(spool: string): SpoolStatus {
	let bytes = 0;
	let lines = 0;
	try {
		// Never through a link, and never a FIFO (reading one would hang this command): a regular file or nothing.
		const fd = fs.openSync(
			spool,
			fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0),
		);
		try {
			if (fs.fstatSync(fd).isFile()) {
				const data = fs.readFileSync(fd);
				bytes = data.length;
				for (const byte of data) if (byte === 0x0a) lines++;
			}
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		// No spool: nothing waiting.
	}
	// The forwarders append one byte to `<spool>.dropped` per event the full spool refused: the count is its size (as server/spool.ts reads it).
	let dropped = 0;
	try {
		const stat = fs.lstatSync(`${spool}.dropped`);
		if (stat.isFile()) dropped = stat.size;
	} catch {
		// Nothing dropped.
	}
	return {path: spool, bytes, lines, dropped};
}

/** Telemetry records per session in the window, newest session first. */
export interface TelemetrySeen {
	/** `/api/status`'s otel counters since the server started. */
	logRecords: number;
	metricRecords: number;
	/** Sessions that sent records in the window, with how many. */
	sessions: Array<{session: string; records: number; last: string}>;
}

/** How many of the latest records `hooks status` reads to count the window's telemetry. */
export const TELEMETRY_SCAN = 10_000;

/**
 * What the running server has received by OTLP: its `/api/status` counters, and from its history
 * (`GET /api/events?filter=source:otel`) the records per session received in the last `windowMs`.
 * Null when the server does not answer or has no OTLP receiver (an older version).
 */
export async function probeTelemetry(
	baseUrl: string,
	token: string | undefined,
	windowMs: number,
	now = Date.now(),
	timeoutMs = 1500,
): Promise<TelemetrySeen | null> {
	const headers: Record<string, string> = token ? {authorization: `Bearer ${token}`} : {};
	try {
		const statusResponse = await fetch(`${baseUrl}/api/status`, {
			signal: AbortSignal.timeout(timeoutMs),
			headers,
		});
		if (!statusResponse.ok) return null;
		const status = (await statusResponse.json()) as {
			otel?: {logs?: {records?: unknown}; metrics?: {records?: unknown}};
			events?: {lastSeq?: unknown};
		};
		if (typeof status.otel !== 'object' || status.otel === null) return null;
		const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
		const lastSeq = count(status.events?.lastSeq);
		const query = new URLSearchParams({
			filter: 'source:otel',
			format: 'ndjson',
			limit: String(TELEMETRY_SCAN),
			since: String(Math.max(0, lastSeq - TELEMETRY_SCAN)),
		});
		const eventsResponse = await fetch(`${baseUrl}/api/events?${query}`, {
			signal: AbortSignal.timeout(timeoutMs),
			headers,
		});
		const sessions = new Map<string, {records: number; last: string}>();
		if (eventsResponse.ok) {
			for (const line of (await eventsResponse.text()).split('\n')) {
				if (line === '') continue;
				let record: {session?: unknown; received?: unknown};
				try {
					record = JSON.parse(line) as typeof record;
				} catch {
					continue;
				}
				const received = typeof record.received === 'string' ? Date.parse(record.received) : Number.NaN;
				if (!(received >= now - windowMs)) continue;
				const session = typeof record.session === 'string' ? record.session : '(no session id)';
				const seen = sessions.get(session) ?? {records: 0, last: ''};
				seen.records++;
				if ((record.received as string) > seen.last) seen.last = record.received as string;
				sessions.set(session, seen);
			}
		}
		return {
			logRecords: count(status.otel.logs?.records),
			metricRecords: count(status.otel.metrics?.records),
			sessions: [...sessions]
				.map(([session, v]) => ({session, ...v}))
				.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0)),
		};
	} catch {
		return null;
	}
}
