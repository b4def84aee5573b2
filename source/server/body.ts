/** Reads a request body up to a byte limit, and stops reading as soon as the limit is passed. */
import type {IncomingMessage} from 'node:http';

export const MAX_BODY_BYTES = 1_048_576;

export type BodyResult = {ok: true; bytes: Buffer} | {ok: false; status: 413 | 400; error: string};

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
	const tooLarge: BodyResult = {ok: false, status: 413, error: `body is larger than ${limit} bytes`};
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) {
		req.resume();
		return Promise.resolve(tooLarge);
	}
	return new Promise(resolve => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (result: BodyResult) => {
			if (done) return;
			done = true;
			req.off('data', onData);
			req.off('end', onEnd);
			req.off('error', onError);
			resolve(result);
		};
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				chunks.length = 0;
				// Stop buffering; whatever else arrives is discarded.
				req.on('data', () => {});
				finish(tooLarge);
				return;
			}
			chunks.push(chunk);
		};
		const onEnd = () => finish({ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)});
		const onError = (error: Error) => finish({ok: false, status: 400, error: `could not read the body: ${error.message}`});
		req.on('data', onData);
		req.on('end', onEnd);
		req.on('error', onError);
	});
}
