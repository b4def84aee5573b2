/**
 * A minimal HTTP/1.1 client on a raw TCP socket, so that a test chooses every byte of a request:
 * header values that fetch and node:http refuse to send (latin1 bytes, repeated headers), bodies
 * that are not valid UTF-8. One connection per request (`Connection: close`); the answer is read
 * until the server closes it, or until Content-Length bytes of body have come.
 */
import net from 'node:net';

export interface RawAnswer {
	status: number;
	headers: Map<string, string>;
	body: Buffer;
}

export interface RawRequest {
	port: number;
	method: string;
	path: string;
	/** Header lines as name and value; values are written as latin1 bytes. May repeat a name. */
	headers: Array<[string, string]>;
	body: Buffer;
	timeoutMs?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNK = 64 * 1024;

function parseAnswer(bytes: Buffer): RawAnswer | null {
	const end = bytes.indexOf(HEADER_END);
	if (end === -1) return null;
	const head = bytes.subarray(0, end).toString('latin1').split('\r\n');
	const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
	if (!status) return null;
	const headers = new Map<string, string>();
	for (const line of head.slice(1)) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	const body = bytes.subarray(end + HEADER_END.length);
	const length = headers.get('content-length');
	if (length !== undefined && body.length < Number(length)) return null;
	return {
		status: Number(status[1]),
		headers,
		body: length === undefined ? body : body.subarray(0, Number(length)),
	};
}

/**
 * Sends one request and resolves with the answer; rejects when the connection ends without a
 * whole answer (refused, reset, closed early) or after `timeoutMs`.
 */
export function rawRequest(request: RawRequest): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(request.port, '127.0.0.1');
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (error?: Error) => {
			if (settled) return;
			const answer = parseAnswer(Buffer.concat(chunks));
			if (!answer && !error && !socket.destroyed && !socket.readableEnded) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			if (answer) resolve(answer);
			else
				reject(
					error ??
						new Error(
							`the connection closed without a whole answer (${Buffer.concat(chunks).length} bytes came)`,
						),
				);
		};
		const timer = setTimeout(
			() => finish(new Error(`no answer within ${request.timeoutMs ?? 10_000} ms`)),
			request.timeoutMs ?? 10_000,
		);
		socket.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			// A whole answer with Content-Length is enough; the server may keep the socket a while.
			const answer = parseAnswer(Buffer.concat(chunks));
			if (answer && answer.headers.has('content-length')) finish();
		});
		socket.on('end', () => finish());
		socket.on('close', () => finish());
		// A write error (EPIPE after an early 413) is not the end: the answer may already be there.
		socket.on('error', (error: Error) => {
			setImmediate(() => finish(error));
		});
		const head = [
			`${request.method} ${request.path} HTTP/1.1`,
			`Host: 127.0.0.1:${request.port}`,
			`Content-Length: ${request.body.length}`,
			'Connection: close',
			...request.headers.map(([name, value]) => `${name}: ${value}`),
		].join('\r\n');
		const bytes = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), request.body]);
		if (bytes.length <= CHUNK) {
			socket.write(bytes);
			return;
		}
		// A large body goes in chunks, and stops once an answer has begun (as curl does): a server
		// that refuses it early (413) closes the connection, and a write into a closed connection
		// would make Node drop the answer it had already received.
		let at = 0;
		const next = () => {
			if (settled || chunks.length > 0 || at >= bytes.length) return;
			const piece = bytes.subarray(at, at + CHUNK);
			at += piece.length;
			socket.write(piece, () => setImmediate(next));
		};
		next();
	});
}
