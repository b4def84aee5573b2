/**
 * Node's `clientError`: a request it could not parse, headers too large, or a request that did
 * not arrive within the time limits. Answered in JSON with the reason (Node's own answer has no
 * body), then the connection is closed.
 */
import {maxHeaderSize, type ServerResponse} from 'node:http';
import type {Duplex} from 'node:stream';
import {writeRawRefusal, type Refusal} from './refusal.js';
import type {ServerLimits} from './server-limits.js';

export function clientErrorHandler(
	limits: ServerLimits,
): (error: Error & {code?: string}, socket: Duplex) => void {
	return (error, socket) => {
		// Never write into a connection whose answer has begun: the peer would read a torn response.
		const answering = (socket as Duplex & {_httpMessage?: ServerResponse | null})._httpMessage;
		if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
			socket.destroy();
			return;
		}
		writeRawRefusal(socket, refusalFor(error, limits));
	};
}

function refusalFor(error: Error & {code?: string}, limits: ServerLimits): Refusal {
	switch (error.code) {
		case 'ERR_HTTP_REQUEST_TIMEOUT':
			return {
				status: 408,
				error: `the request did not arrive in time: headers must arrive within ${limits.headersTimeoutMs} ms and the whole request within ${limits.requestTimeoutMs} ms; the connection is closed`,
			};
		case 'HPE_HEADER_OVERFLOW':
			return {status: 431, error: `the request headers are larger than ${maxHeaderSize} bytes`};
		default:
			return {status: 400, error: `malformed HTTP request (${error.code ?? error.message})`};
	}
}
