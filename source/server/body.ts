/**
 * Reads a request body up to a byte limit, and stops reading as soon as the limit is passed. With
 * a shared budget (`InflightBodies`), every chunk is counted while the body is incomplete; a body
 * the budget gives up answers 503.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {InflightBodies} from './inflight.js';

export const MAX_BODY_BYTES = 1_048_576;

/** Seconds a sender refused for lack of room is asked to wait (`Retry-After`). */
export const BUSY_RETRY_AFTER_S = 1;

export type BodyResult =
	| {ok: true; bytes: Buffer}
	| {
			ok: false;
			status: 413 | 400 | 503;
			error: string;
			/** The rest of the body is not read: close the connection after the answer. */ close: boolean;
	  };

export interface ReadBodyOptions {
	limit?: number;
	budget?: InflightBodies;
}

export function readBody(req: IncomingMessage, options: ReadBodyOptions = {}): Promise<BodyResult> {
	const limit = options.limit ?? MAX_BODY_BYTES;
	const budget = options.budget;
	const tooLarge: BodyResult = {
		ok: false,
		status: 413,
		error: `body is larger than ${limit} bytes`,
		close: true,
	};
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) {
		req.resume();
		return Promise.resolve(tooLarge);
	}
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (result: BodyResult) => {
			if (done) return;
			done = true;
			if (inflight) budget?.release(inflight);
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('error', onError);
			req.off('close', onClose);
			if (!result.ok) {
				chunks.length = 0;
				// Stop buffering; whatever else arrives is discarded.
				req.on('data', () => {});
			}
			resolve(result);
		};
		const busy = (): BodyResult => ({
			ok: false,
			status: 503,
			error: `the server holds too many unfinished request bodies (${budget?.limit} bytes at most across all connections); this one waited longest for its next bytes. Send again in ${BUSY_RETRY_AFTER_S} s`,
			close: true,
		});
		const inflight = budget?.open(() => finish(busy()));
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) return finish(tooLarge);
			if (inflight && !budget!.add(inflight, chunk.length)) return finish(busy());
			chunks.push(chunk);
		};
		const onEnd = () =>
			finish({ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)});
		const onError = (error: Error) =>
			finish({ok: false, status: 400, error: `could not read the body: ${error.message}`, close: true});
		const onClose = () =>
			finish({
				ok: false,
				status: 400,
				error: 'the connection closed before the body was complete',
				close: true,
			});
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('error', onError);
		req.on('close', onClose);
	});
}

/**
 * How much more of a refused body is read (and thrown away) before the answer, and how long the
 * sender may pause. The pause is an idle bound, not a bound on the whole body: a sender that keeps
 * writing a large body on a busy machine is still reading its answer afterwards (a total bound cut
 * such senders off mid-body, and they lost the answer: see discardRest). Node's request timeout
 * (server-limits.ts) bounds the whole request.
 */
const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_IDLE_MS = 5000;

/**
 * Reads the rest of a request body and throws it away, up to DISCARD_BYTES or until no byte has
 * come for DISCARD_IDLE_MS; true when the body ended. A refusal is sent only afterwards: a server
 * that answers and closes while the sender is still writing makes the kernel reset the connection
 * (unread data at close), and the sender's next write then fails and ends its socket before it
 * has read the answer — which it never learns (`413`, `415`, …).
 */
export function discardRest(req: IncomingMessage): Promise<boolean> {
	if (req.complete || req.readableEnded) return Promise.resolve(true);
	return new Promise((resolve) => {
		let read = 0;
		const done = (ended: boolean) => {
			clearTimeout(timer);
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('close', onClose);
			req.off('error', onClose);
			resolve(ended);
		};
		const onData = (chunk: Buffer) => {
			read += chunk.length;
			if (read > DISCARD_BYTES) done(false);
			else timer.refresh();
		};
		const onEnd = () => done(true);
		const onClose = () => done(req.complete);
		const timer = setTimeout(() => done(false), DISCARD_IDLE_MS);
		timer.unref();
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('close', onClose);
		req.on('error', onClose);
		req.resume();
	});
}

/**
 * Before answering a refused body whose rest was not read (`result.close`): say
 * `Connection: close` (and, for 503, when to send again) and close a moment after the answer, so
 * a stalled sender cannot hold the connection. A body over the size limit (413) is read to its
 * end first (see discardRest), so its sender can read the answer; only when that bound is passed
 * is the connection closed too.
 */
export async function closeAfterAnswer(
	req: IncomingMessage,
	res: ServerResponse,
	result: BodyResult,
): Promise<void> {
	if (result.ok || !result.close) return;
	if (result.status === 413 && (await discardRest(req))) return;
	if (result.status === 503) res.setHeader('Retry-After', String(BUSY_RETRY_AFTER_S));
	res.setHeader('Connection', 'close');
	res.once('finish', () => setTimeout(() => req.destroy(), 1000).unref());
}
