/**
 * Reads an OTLP/HTTP JSON request body: the media type (JSON only: protobuf and gRPC are told
 * how to switch), the encoding (identity or gzip), the body within the size limit — for gzip the
 * limit is on the inflated bytes, and inflating stops as soon as it is passed — then UTF-8, the
 * depth limit and JSON. Every refusal carries its HTTP status and a reason.
 */
import {isUtf8} from 'node:buffer';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {promisify} from 'node:util';
import {gunzip} from 'node:zlib';
import {exceedsDepth, findInvalidUtf8, MAX_JSON_DEPTH} from '../core/parse-body.js';
import {closeAfterAnswer, MAX_BODY_BYTES} from './body.js';
import type {ServerGuard} from './server-guard.js';

const gunzipAsync = promisify(gunzip);

export type OtlpBody = {ok: true; value: unknown} | {ok: false; status: number; error: string};

export const PROTOBUF_ADVICE =
	'mpm-tui takes OTLP as JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (or OTEL_EXPORTER_OTLP_LOGS_PROTOCOL / _METRICS_PROTOCOL=http/json)';

/** Media type without parameters, lower case; undefined when absent. */
function mediaType(req: IncomingMessage): string | undefined {
	const raw = req.headers['content-type'];
	if (!raw) return undefined;
	return raw.split(';')[0].trim().toLowerCase();
}

/** Null when the request's media type and encoding can be read, else the 415 reason. */
export function otlpTypeError(req: IncomingMessage): string | null {
	const type = mediaType(req);
	if (
		type === 'application/x-protobuf' ||
		type === 'application/protobuf' ||
		type === 'application/vnd.google.protobuf'
	)
		return `content type ${type} (OTLP/HTTP protobuf) is not accepted. ${PROTOBUF_ADVICE}`;
	if (type !== undefined && type.startsWith('application/grpc'))
		return `content type ${type} (OTLP/gRPC) is not accepted. ${PROTOBUF_ADVICE}`;
	if (type !== undefined && type !== 'application/json' && !type.endsWith('+json'))
		return `content type ${type} is not accepted; send application/json (OTLP/HTTP JSON). ${PROTOBUF_ADVICE}`;
	const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
	if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip')
		return `content encoding ${encoding} is not accepted; send gzip or none`;
	return null;
}

function isGzip(req: IncomingMessage): boolean {
	const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
	return encoding === 'gzip' || encoding === 'x-gzip';
}

/** Inflates at most `limit` bytes; a body that would inflate to more is refused (413) without inflating the rest. */
async function inflate(
	bytes: Buffer,
	limit: number,
): Promise<{ok: true; bytes: Buffer} | {ok: false; status: number; error: string}> {
	try {
		return {ok: true, bytes: await gunzipAsync(bytes, {maxOutputLength: limit})};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
			return {
				ok: false,
				status: 413,
				error: `the gzip body inflates to more than ${limit} bytes (the size limit applies to the inflated body)`,
			};
		return {ok: false, status: 400, error: `the body is not valid gzip: ${(error as Error).message}`};
	}
}

/** The request's body as a parsed JSON value, or why not. On a refusal the connection is handled as /api/events does. */
export async function readOtlpBody(
	req: IncomingMessage,
	res: ServerResponse,
	guard: ServerGuard,
	limit = MAX_BODY_BYTES,
): Promise<OtlpBody> {
	const body = await guard.readBody(req);
	if (!body.ok) {
		await closeAfterAnswer(req, res, body);
		return {ok: false, status: body.status, error: body.error};
	}
	let bytes = body.bytes;
	if (isGzip(req)) {
		const inflated = await inflate(bytes, limit);
		if (!inflated.ok) return inflated;
		bytes = inflated.bytes;
	}
	if (!isUtf8(bytes))
		return {ok: false, status: 400, error: `body is not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`};
	const text = bytes.toString('utf8');
	if (text.trim() === '') return {ok: false, status: 400, error: 'body is empty'};
	if (exceedsDepth(text, MAX_JSON_DEPTH))
		return {ok: false, status: 400, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`};
	try {
		return {ok: true, value: JSON.parse(text)};
	} catch (error) {
		return {
			ok: false,
			status: 400,
			error: `body is not JSON (${(error as Error).message.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200)})`,
		};
	}
}
