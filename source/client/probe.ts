/**
 * Finds out what answers at a server URL: an mpm-tui server, a claude-mpm monitor, nothing, or
 * some other program. One `GET /health` with a short timeout.
 */
import http from 'node:http';
import https from 'node:https';
import type {HealthInfo} from '../core/wire.js';

export type ProbeResult =
	| {kind: 'mpm-tui'; info: HealthInfo}
	| {kind: 'claude-mpm'}
	| {kind: 'none'}
	| {kind: 'other'; detail: string};

export const PROBE_TIMEOUT_MS = 700;

function classify(status: number, text: string): ProbeResult {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return {kind: 'other', detail: `GET /health answered HTTP ${status} with something that is not JSON`};
	}
	const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	if (b.service === 'mpm-tui' && status === 200) return {kind: 'mpm-tui', info: b as unknown as HealthInfo};
	if (
		b.server === 'claude-mpm-socketio' ||
		b.status === 'healthy' ||
		(typeof b.service === 'string' && b.service.startsWith('claude-mpm'))
	)
		return {kind: 'claude-mpm'};
	return {kind: 'other', detail: `GET /health answered HTTP ${status} but not as mpm-tui or claude-mpm`};
}

export async function probe(url: string, token?: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
	let target: URL;
	try {
		target = new URL('/health', url);
	} catch {
		return {kind: 'other', detail: `not a URL: ${url}`};
	}
	const get = target.protocol === 'https:' ? https.get : http.get;
	return new Promise((resolve) => {
		let settled = false;
		const done = (result: ProbeResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			request.destroy();
			resolve(result);
		};
		const headers: Record<string, string> = {Accept: 'application/json'};
		if (token) headers.Authorization = `Bearer ${token}`;
		const request = get(target, {headers, agent: false}, (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= 65_536) chunks.push(chunk);
			});
			response.on('end', () =>
				done(classify(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))),
			);
			response.on('error', (error) => done({kind: 'other', detail: error.message}));
		});
		request.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ECONNREFUSED') done({kind: 'none'});
			else done({kind: 'other', detail: error.code ? `${error.code} (${error.message})` : error.message});
		});
		const timer = setTimeout(
			() => done({kind: 'other', detail: `no answer to GET /health within ${timeoutMs} ms`}),
			timeoutMs,
		);
	});
}

/**
 * The one-line message for a port that is taken, naming what holds it when it can tell:
 * `port 8765 on 127.0.0.1 is already in use by an mpm-tui server (pid 1234)` / `… by a claude-mpm
 * monitor` / `… by another program`.
 */
export async function describePortInUse(
	host: string,
	port: number,
	token?: string,
	timeoutMs = 3000,
): Promise<string> {
	const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
	// An error path: worth waiting longer than the start-up probe for a busy server to answer.
	const found = await probe(`http://${urlHost}:${port}`, token, timeoutMs);
	const what =
		found.kind === 'mpm-tui'
			? `an mpm-tui server (pid ${found.info.pid})`
			: found.kind === 'claude-mpm'
				? 'a claude-mpm monitor'
				: 'another program';
	return `port ${port} on ${host} is already in use by ${what}`;
}
