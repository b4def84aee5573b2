/**
 * A small real HTTP server on a free loopback port that records every request (method, path,
 * headers, exact body bytes) and answers the way a test asks: 202, any status, or never
 * (accepts the connection and stays silent, like a server that hangs).
 */
import http from 'node:http';
import {freePort} from './free-port.js';

export interface CapturedRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

export type CaptureMode = {kind: 'status'; status: number} | {kind: 'hang'};

export interface CaptureServer {
	port: number;
	/** Full events URL, e.g. http://127.0.0.1:40123/api/events */
	url: string;
	requests: CapturedRequest[];
	setMode(mode: CaptureMode): void;
	/** Resolves once at least `count` requests have arrived; rejects after `timeoutMs`. */
	waitFor(count: number, timeoutMs?: number): Promise<CapturedRequest[]>;
	close(): Promise<void>;
}

export async function startCaptureServer(
	mode: CaptureMode = {kind: 'status', status: 202},
): Promise<CaptureServer> {
	const requests: CapturedRequest[] = [];
	const waiters: Array<() => void> = [];
	let current = mode;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			requests.push({
				method: req.method ?? '',
				url: req.url ?? '',
				headers: req.headers,
				body: Buffer.concat(chunks),
			});
			for (const wake of waiters.splice(0)) wake();
			if (current.kind === 'hang') return;
			const status = current.status;
			res.writeHead(status, {'content-type': 'application/json'});
			res.end(status < 300 ? '{"accepted":1,"duplicates":0}' : `{"error":"status ${status} on request"}`);
		});
	});
	const port = await freePort();
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return {
		port,
		url: `http://127.0.0.1:${port}/api/events`,
		requests,
		setMode(next) {
			current = next;
		},
		waitFor(count, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const check = (): boolean => {
					if (requests.length < count) return false;
					clearTimeout(timer);
					resolve(requests);
					return true;
				};
				const timer = setTimeout(
					() =>
						reject(new Error(`expected ${count} request(s) within ${timeoutMs} ms, got ${requests.length}`)),
					timeoutMs,
				);
				if (check()) return;
				const wait = (): void => {
					if (!check()) waiters.push(wait);
				};
				waiters.push(wait);
			});
		},
		close() {
			return new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			});
		},
	};
}
