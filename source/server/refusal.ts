/**
 * Answers that refuse a request, always `{"error":"…"}` in JSON: through a ServerResponse, or
 * written straight onto the socket where there is none (a WebSocket upgrade, a request Node could
 * not parse or that timed out).
 */
import {STATUS_CODES, type IncomingMessage, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';

export interface Refusal {
	status: number;
	error: string;
	/** Seconds after which trying again may work (`Retry-After`). */
	retryAfterS?: number;
}

function headersOf(refusal: Refusal, body: string): Record<string, string | number> {
	const headers: Record<string, string | number> = {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		'Cache-Control': 'no-store',
	};
	if (refusal.retryAfterS !== undefined) headers['Retry-After'] = refusal.retryAfterS;
	return headers;
}

/** Answers through `res`; the request's body, if any, is read and dropped. */
export function sendRefusal(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
	req.resume();
	const body = JSON.stringify({error: refusal.error});
	res.writeHead(refusal.status, headersOf(refusal, body));
	res.end(body);
}

/** Writes a whole HTTP/1.1 answer onto `socket` and closes it (destroyed after a second at the latest). */
export function writeRawRefusal(socket: Duplex, refusal: Refusal): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	const body = JSON.stringify({error: refusal.error});
	const head = Object.entries({...headersOf(refusal, body), Connection: 'close'})
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('');
	socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${head}\r\n${body}`);
	setTimeout(() => socket.destroy(), 1000).unref();
}
