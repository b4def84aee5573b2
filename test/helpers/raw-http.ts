/**
 * HTTP at the byte level over a real TCP connection: requests no ordinary client would send
 * (a foreign Host, no Host, HTTP/1.0, a body that stops half way, headers that never end, a
 * WebSocket upgrade), with the answer parsed as it arrives and the moment the server closes.
 */
import net from 'node:net';

export interface RawAnswer {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: string;
	json: any;
}

export class RawConnection {
	readonly socket: net.Socket;
	/** Resolves when the server has closed the connection (with the time, `performance.now()`). */
	readonly closed: Promise<number>;
	private received = Buffer.alloc(0);
	private answer: RawAnswer | undefined;
	private waiters: Array<() => void> = [];
	private ended = false;

	private constructor(socket: net.Socket) {
		this.socket = socket;
		socket.on('data', (chunk) => {
			this.received = Buffer.concat([this.received, chunk]);
			this.parse();
		});
		socket.on('error', () => {});
		this.closed = new Promise((resolve) =>
			socket.once('close', () => {
				this.ended = true;
				this.parse();
				resolve(performance.now());
			}),
		);
	}

	static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
		return new Promise((resolve, reject) => {
			const socket = net.connect(port, host, () => {
				socket.off('error', reject);
				resolve(new RawConnection(socket));
			});
			socket.once('error', reject);
		});
	}

	/** Writes and resolves once the bytes are handed to the kernel (or the connection is gone). */
	write(data: string | Buffer): Promise<void> {
		return new Promise((resolve) => {
			if (this.socket.destroyed) return resolve();
			this.socket.write(data, () => resolve());
		});
	}

	/** True once the server has answered (whole head, and the body as long as Content-Length says, or up to the close). */
	get answered(): boolean {
		return this.answer !== undefined;
	}

	response(timeoutMs = 5000): Promise<RawAnswer> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() =>
					reject(
						new Error(
							`no answer within ${timeoutMs} ms; got ${JSON.stringify(this.received.toString('latin1').slice(0, 300))}`,
						),
					),
				timeoutMs,
			);
			const check = () => {
				if (this.answer) {
					clearTimeout(timer);
					resolve(this.answer);
					return true;
				}
				if (this.ended) {
					clearTimeout(timer);
					reject(
						new Error(
							`the server closed the connection without a whole answer; got ${JSON.stringify(this.received.toString('latin1').slice(0, 300))}`,
						),
					);
					return true;
				}
				return false;
			};
			if (!check()) this.waiters.push(() => void check());
		});
	}

	destroy(): void {
		this.socket.destroy();
	}

	private parse(): void {
		if (!this.answer) {
			const end = this.received.indexOf('\r\n\r\n');
			if (end === -1) return this.wake();
			const head = this.received.subarray(0, end).toString('latin1').split('\r\n');
			const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0])?.[1] ?? NaN);
			const headers: Record<string, string> = {};
			for (const line of head.slice(1)) {
				const i = line.indexOf(':');
				if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
			}
			const rest = this.received.subarray(end + 4);
			let body: string;
			if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
				const decoded = dechunk(rest);
				if (decoded === undefined) return this.wake();
				body = decoded.toString('utf8');
			} else {
				const length =
					headers['content-length'] === undefined
						? [101, 204, 304].includes(status)
							? 0
							: undefined
						: Number(headers['content-length']);
				if (length === undefined ? !this.ended : rest.length < length) return this.wake();
				body = rest.subarray(0, length ?? rest.length).toString('utf8');
			}
			let json: unknown;
			try {
				json = JSON.parse(body);
			} catch {
				json = undefined;
			}
			this.answer = {status, headers, body, json};
		}
		this.wake();
	}

	private wake(): void {
		for (const waiter of this.waiters.splice(0)) waiter();
	}
}

/** A chunked body decoded, or undefined while its last chunk has not arrived. */
function dechunk(data: Buffer): Buffer | undefined {
	const parts: Buffer[] = [];
	let at = 0;
	for (;;) {
		const lineEnd = data.indexOf('\r\n', at);
		if (lineEnd === -1) return undefined;
		const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
		if (size === 0) return Buffer.concat(parts);
		if (data.length < lineEnd + 2 + size + 2) return undefined;
		parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
		at = lineEnd + 2 + size + 2;
	}
}

/** One request on a fresh connection; the answer. */
export async function rawRequest(port: number, text: string | Buffer, timeoutMs = 5000): Promise<RawAnswer> {
	const connection = await RawConnection.open(port);
	try {
		await connection.write(text);
		return await connection.response(timeoutMs);
	} finally {
		connection.destroy();
	}
}

/** `METHOD path HTTP/1.1` with the given headers (a `Host` only if given; `Connection: close` unless given) and an optional body. */
export function requestText(
	method: string,
	path: string,
	headers: Record<string, string>,
	body = '',
): string {
	const all: Record<string, string> = {
		...headers,
		...(body === '' ? {} : {'Content-Length': String(Buffer.byteLength(body))}),
	};
	if (!Object.keys(all).some((name) => name.toLowerCase() === 'connection')) all.Connection = 'close';
	return `${method} ${path} HTTP/1.1\r\n${Object.entries(all)
		.map(([k, v]) => `${k}: ${v}\r\n`)
		.join('')}\r\n${body}`;
}
