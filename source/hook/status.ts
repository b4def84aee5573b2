/**
 * What `mpm-tui hooks status` reports besides the settings files: whether the server answers
 * `GET /health`, and the forwarder's spool backlog (bytes, lines, events dropped when it was full,
 * the sh forwarder's stdin copies left beside it).
 */
import fs from 'node:fs';
import path from 'node:path';
import {parseCopyName} from '../core/spool-copy-name.js';

export type Health =
	| {
			ok: true;
			service: string;
			version: string;
			pid: number | undefined;
			/** `/api/status` answers 401 without a token. */
			needsToken: boolean;
			/** Why the server refuses the token given (or its absence) on its other routes; undefined when it accepts it. */
			refused: string | undefined;
	  }
	| {ok: false; error: string};

/** What a 401 from an mpm-tui route means for the token that was (or was not) sent. */
export function refusalOf(status: number, token: string | undefined): string | undefined {
	if (status !== 401) return undefined;
	return token === undefined
		? 'the server requires a token and none is set (GET /api/status answered 401)'
		: 'the server refuses the token in use (GET /api/status answered 401)';
}

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
		// /health answers without a token; an authenticated route tells whether the server wants one, and whether it takes ours.
		const statusCode = async (withToken: string | undefined) => {
			try {
				const answer = await fetch(`${baseUrl}/api/status`, {
					signal: AbortSignal.timeout(timeoutMs),
					headers: withToken ? {authorization: `Bearer ${withToken}`} : {},
				});
				await answer.body?.cancel();
				return answer.status;
			} catch {
				return undefined; // /health answered: the server runs; what it wants for a token stays unknown.
			}
		};
		const bare = await statusCode(undefined);
		const needsToken = bare === 401;
		const refused =
			token === undefined
				? refusalOf(bare ?? 0, undefined)
				: needsToken
					? refusalOf((await statusCode(token)) ?? 0, token)
					: undefined;
		return {
			ok: true,
			service: typeof body.service === 'string' ? body.service : 'unknown service',
			version: typeof body.version === 'string' ? body.version : '?',
			pid: typeof body.pid === 'number' ? body.pid : undefined,
			needsToken,
			refused,
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
	/** The sh forwarder's stdin copies next to the spool (`<spool>.in-<pid>-<id>`): each an event not yet delivered, left by a forwarder that was killed (or still running). */
	copies: number;
	copyBytes: number;
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
	// Copies count as waiting too: the server's drain delivers them (server/spool.ts), but they are not in the spool file.
	let copies = 0;
	let copyBytes = 0;
	try {
		const base = path.basename(spool);
		for (const name of fs.readdirSync(path.dirname(spool))) {
			const copy = parseCopyName(base, name);
			if (!copy || copy.line) continue;
			try {
				const stat = fs.lstatSync(path.join(path.dirname(spool), name));
				if (!stat.isFile()) continue;
				copies++;
				copyBytes += stat.size;
			} catch {
				// Delivered (removed) meanwhile.
			}
		}
	} catch {
		// No spool directory: nothing waiting.
	}
	return {path: spool, bytes, lines, dropped, copies, copyBytes};
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
 * `{refused}` when `/api/status` answers 401 (the token); null when the server does not answer or
 * has no OTLP receiver (an older version).
 */
export async function probeTelemetry(
	baseUrl: string,
	token: string | undefined,
	windowMs: number,
	now = Date.now(),
	timeoutMs = 1500,
): Promise<TelemetrySeen | {refused: string} | null> {
	const headers: Record<string, string> = token ? {authorization: `Bearer ${token}`} : {};
	try {
		const statusResponse = await fetch(`${baseUrl}/api/status`, {
			signal: AbortSignal.timeout(timeoutMs),
			headers,
		});
		const refused = refusalOf(statusResponse.status, token);
		if (refused !== undefined) return {refused};
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
