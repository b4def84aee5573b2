/**
 * The HTTP API (docs/protocol.md): POST /api/events, POST /emit, GET /health, GET /api/status,
 * GET /api/events, GET /api/usage, and the OTLP receiver's POST /v1/logs, /v1/metrics, /v1/traces (otlp-routes.ts). Every answer is JSON (or NDJSON when asked for history that way); every refusal
 * says why. Origin and token are checked before anything else is read. A route that fails
 * answers 500 with a generic message (the details go to the server's log): no request can take
 * the process down. A Claude Code http hook's POST (marked by the installer's `?mpm-tui=http-hook`)
 * gets an empty 200 when accepted: Claude Code reads a JSON answer as the hook's output (a decision),
 * an empty body as none.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Config} from '../config.js';
import type {EventRecord} from '../core/record.js';
import {compileFilter} from '../core/filter.js';
import {closeAfterAnswer, discardRest} from './body.js';
import {ID_RULE, isValidId, parseEpochMs} from '../core/limits.js';
import type {IngestMeta} from './pipeline.js';
import {queryOf, tokenFromRequest, tokenMatches} from './security.js';
import type {ServerGuard} from './server-guard.js';
import type {Page} from './history.js';
import {escapeJsonForTerminal} from '../core/terminal-safe.js';
import {parseAfterHeader, type OrderGate} from './ordering.js';
import type {HealthInfo, IngestResult, ServerStats} from './types.js';
import type {UsageAnswer} from '../core/wire.js';
import {OTLP_PATHS, type OtlpPath, type OtlpReceiver} from './otlp-routes.js';
import {HTTP_HOOK_PARAM, HTTP_HOOK_VALUE} from '../core/http-hook-url.js';

export const EVENTS_LIMIT_MAX = 10_000;

export interface RouteDeps {
	config: Config;
	guard: ServerGuard;
	health(): HealthInfo;
	stats(): ServerStats;
	ingestBytes(bytes: Buffer, contentType: string | undefined, meta: IngestMeta): IngestResult;
	/** Holds a forwarder's event until the events it names in `X-Mpm-After` are settled (ordering.ts). */
	order?: OrderGate;
	/** A bounded page of history (see History.page). */
	history(since: number, limit: number, test?: (record: EventRecord) => boolean): Page & {lastSeq: number};
	log(line: string): void;
	/** `POST /v1/logs`, `/v1/metrics`, `/v1/traces` (otlp-routes.ts). */
	otlp?: OtlpReceiver;
	/** `GET /api/usage`: per-session usage totals (usage-state.ts). */
	usage?: () => UsageAnswer;
}

const ACCEPTED_TYPES =
	'application/json, application/x-ndjson (or application/ndjson, application/jsonl), text/plain';
const ALLOWED_HEADERS =
	'Content-Type, Content-Encoding, Authorization, X-Mpm-Token, X-Mpm-Id, X-Mpm-Received, X-Mpm-After';

function send(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	// Answers are read in terminals (curl): no raw control or bidi characters, as escapes instead.
	const text = escapeJsonForTerminal(JSON.stringify(body));
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-store',
		...headers,
	});
	res.end(text);
}

/** A storage fault: 507 when the disk is full (the request may succeed later), else 503. */
function sendFault(res: ServerResponse, fault: {code: string; message: string}): void {
	const full = fault.code === 'ENOSPC' || fault.code === 'EDQUOT';
	send(
		res,
		full ? 507 : 503,
		{error: `not stored: ${fault.message}; send it again later`, code: fault.code},
		{'Retry-After': '5'},
	);
}

/** Media type without parameters, lower case; undefined when absent. */
function mediaType(req: IncomingMessage): string | undefined {
	const raw = req.headers['content-type'];
	if (!raw) return undefined;
	return raw.split(';')[0].trim().toLowerCase();
}

/**
 * JSON, NDJSON and text are accepted; so is a missing type and curl's default
 * (`application/x-www-form-urlencoded` from `curl -d`), which claude-mpm's scripts send.
 */
function contentTypeError(type: string | undefined): string | null {
	if (type === undefined || type === 'application/x-www-form-urlencoded') return null;
	if (type === 'application/json' || type.endsWith('+json') || type.startsWith('text/')) return null;
	if (/^application\/(x-)?(ndjson|jsonl|jsonlines|json-seq)$/.test(type)) return null;
	return `content type ${type} is not accepted; send ${ACCEPTED_TYPES}`;
}

/**
 * Null when the body comes as sent (no Content-Encoding, or `identity`), else the 415 reason:
 * event bodies are read as UTF-8 JSON text, and a compressed one would only fail as "not valid
 * UTF-8" (only the OTLP routes inflate gzip, as OTLP exporters send it).
 */
function contentEncodingError(req: IncomingMessage): string | null {
	const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
	if (encoding === '' || encoding === 'identity') return null;
	return `content encoding ${encoding.slice(0, 40)} is not accepted here; send the body uncompressed (only /v1/logs and /v1/metrics inflate gzip)`;
}

/** True for a peer on this machine's loopback (IPv4, IPv6, or IPv4 mapped into IPv6). */
function isLoopbackPeer(address: string | undefined): boolean {
	if (address === undefined) return false;
	return address === '::1' || /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

function metaFrom(req: IncomingMessage, source: string): IngestMeta | string {
	const meta: IngestMeta = {source, local: isLoopbackPeer(req.socket.remoteAddress)};
	const id = req.headers['x-mpm-id'];
	if (typeof id === 'string') {
		if (!isValidId(id)) return `X-Mpm-Id must be ${ID_RULE}`;
		meta.id = id;
	}
	const received = req.headers['x-mpm-received'];
	if (typeof received === 'string') {
		const time = parseEpochMs(received);
		if (!time.ok) return `X-Mpm-Received ${time.error}`;
		meta.receivedAt = time.ms;
	}
	return meta;
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number): number | string {
	const raw = query.get(name);
	if (raw === null || raw === '') return fallback;
	if (!/^\d+$/.test(raw)) return `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`;
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < min)
		return `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`;
	return n;
}

/** Refuses a request without reading its body: the body is thrown away first (bounded), so the sender can read why. */
async function refuseUnread(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	error: string,
): Promise<void> {
	if (!(await discardRest(req))) res.setHeader('Connection', 'close');
	send(res, status, {error});
}

/** How an accepted POST is answered: our JSON counts, or for a Claude Code http hook nothing (no decision). */
type AcceptedAnswer = 'counts' | 'empty';

async function postEvents(
	req: IncomingMessage,
	res: ServerResponse,
	deps: RouteDeps,
	source: string,
	accepted: AcceptedAnswer = 'counts',
): Promise<void> {
	const type = mediaType(req);
	const typeError = contentTypeError(type);
	if (typeError) return refuseUnread(req, res, 415, typeError);
	const encodingError = contentEncodingError(req);
	if (encodingError) return refuseUnread(req, res, 415, encodingError);
	const meta = metaFrom(req, source);
	if (typeof meta === 'string') return refuseUnread(req, res, 400, meta);
	const after = parseAfterHeader(req.headers['x-mpm-after']);
	if (!after.ok) return refuseUnread(req, res, 400, after.error);
	try {
		await answerEvents(req, res, deps, type, meta, after.ids, accepted);
	} finally {
		// Answered, whatever the answer: events that named this one may go.
		if (meta.id !== undefined) deps.order?.settled(meta.id);
	}
}

async function answerEvents(
	req: IncomingMessage,
	res: ServerResponse,
	deps: RouteDeps,
	type: string | undefined,
	meta: IngestMeta,
	after: string[],
	accepted: AcceptedAnswer,
): Promise<void> {
	const body = await deps.guard.readBody(req);
	if (!body.ok) {
		await closeAfterAnswer(req, res, body);
		send(res, body.status, {error: body.error});
		return;
	}
	const held = after.length > 0 ? deps.order?.wait(meta.id, after, body.bytes.length) : undefined;
	if (held) await held;
	const result = deps.ingestBytes(body.bytes, type, meta);
	if (result.fault) return sendFault(res, result.fault);
	if (result.accepted === 0 && result.duplicates === 0) {
		const answer: Record<string, unknown> = {error: result.error ?? 'no event in the body'};
		if (result.rejected.length > 0) answer.rejected = result.rejected;
		send(res, 400, answer);
		return;
	}
	if (accepted === 'empty') {
		// Claude Code takes a 2xx with an empty body as success with no output; anything else in the body could be read as a decision or as context for the model.
		res.writeHead(200, {'Content-Length': 0, 'Cache-Control': 'no-store'});
		res.end();
		return;
	}
	const answer: Record<string, unknown> = {
		accepted: result.accepted,
		duplicates: result.duplicates,
		lastSeq: result.lastSeq,
	};
	if (result.rejected.length > 0) answer.rejected = result.rejected;
	send(res, 202, answer);
}

function getEvents(req: IncomingMessage, res: ServerResponse, deps: RouteDeps, query: URLSearchParams): void {
	const since = intParam(query, 'since', 0, 0);
	if (typeof since === 'string') return send(res, 400, {error: since});
	const limit = intParam(query, 'limit', 1000, 1);
	if (typeof limit === 'string') return send(res, 400, {error: limit});
	const format = query.get('format');
	if (format !== null && format !== 'json' && format !== 'ndjson')
		return send(res, 400, {error: `format must be json or ndjson, got ${JSON.stringify(format)}`});
	let test: ((record: EventRecord) => boolean) | undefined;
	const filter = query.get('filter');
	if (filter !== null && filter.trim() !== '') {
		const compiled = compileFilter(filter);
		if (!compiled.ok) return send(res, 400, {error: `filter: ${compiled.error}`});
		test = compiled.test;
	}
	const page = deps.history(since, Math.min(limit, EVENTS_LIMIT_MAX), test);
	const ndjson =
		format === 'ndjson' || (format === null && (req.headers.accept ?? '').includes('application/x-ndjson'));
	// Made from the history's own bytes (already terminal-safe JSON), never parsed and serialized again.
	const paging = {
		'X-Mpm-Last-Seq': String(page.lastSeq),
		'X-Mpm-Next': String(page.next),
		'X-Mpm-More': page.more ? '1' : '0',
		'Cache-Control': 'no-store',
	};
	const pieces: Buffer[] = [];
	if (ndjson) {
		for (const line of page.lines) pieces.push(line, NEWLINE);
		const body = Buffer.concat(pieces);
		res.writeHead(200, {
			'Content-Type': 'application/x-ndjson; charset=utf-8',
			'Content-Length': body.length,
			...paging,
		});
		res.end(body);
		return;
	}
	pieces.push(Buffer.from('{"events":['));
	for (let i = 0; i < page.lines.length; i++) {
		if (i > 0) pieces.push(COMMA);
		pieces.push(page.lines[i]);
	}
	pieces.push(Buffer.from(`],"lastSeq":${page.lastSeq},"next":${page.next},"more":${page.more}}`));
	const body = Buffer.concat(pieces);
	res.writeHead(200, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': body.length,
		...paging,
	});
	res.end(body);
}

const NEWLINE = Buffer.from('\n');
const COMMA = Buffer.from(',');

export function createRequestHandler(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
	const route = routeRequest(deps);
	const failed = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
		deps.log(
			`internal error on ${req.method} ${(req.url ?? '').split('?')[0]}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
		);
		if (!res.headersSent) send(res, 500, {error: 'internal server error (details are in the server log)'});
		else res.destroy();
	};
	return (req, res) => {
		try {
			const pending = route(req, res);
			if (pending) pending.catch((error) => failed(req, res, error));
		} catch (error) {
			failed(req, res, error);
		}
	};
}

/** The routes; may return a promise for the ones that read a body. */
function routeRequest(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> | void {
	const {config} = deps;
	return (req, res) => {
		// Origin and Host (DNS rebinding) first, for every route; CORS headers for loopback origins.
		if (deps.guard.refuse(req, res)) return;
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const pathname = q === -1 ? url : url.slice(0, q);
		const query = queryOf(url);
		if (req.method === 'OPTIONS') {
			res.writeHead(204, {
				'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
				'Access-Control-Allow-Headers': ALLOWED_HEADERS,
				'Access-Control-Max-Age': '600',
			});
			res.end();
			return;
		}
		// /health stays open so that a client can tell an mpm-tui server that wants a token from another program.
		if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD'))
			return send(res, 200, deps.health());
		if (config.token !== undefined && !tokenMatches(config.token, tokenFromRequest(req.headers, query))) {
			req.resume();
			send(res, 401, {error: 'missing or wrong token'});
			return;
		}
		const route = `${req.method} ${pathname}`;
		switch (route) {
			case 'POST /api/events':
				return postEvents(
					req,
					res,
					deps,
					'hook',
					query.get(HTTP_HOOK_PARAM) === HTTP_HOOK_VALUE ? 'empty' : 'counts',
				);
			case 'POST /emit':
				return postEvents(req, res, deps, 'emit');
			case 'GET /api/status':
				return send(res, 200, deps.stats());
			case 'GET /api/events':
				return getEvents(req, res, deps, query);
			case 'GET /api/usage':
				if (deps.usage) return send(res, 200, deps.usage());
				return send(res, 404, {error: `no such endpoint: ${req.method} ${pathname}`});
			case 'POST /v1/logs':
			case 'POST /v1/metrics':
			case 'POST /v1/traces':
				if (deps.otlp) return deps.otlp.handle(req, res, pathname as OtlpPath);
				req.resume();
				return send(res, 404, {error: `no such endpoint: ${req.method} ${pathname}`});
			default: {
				req.resume();
				const known = [
					'/api/events',
					'/emit',
					'/health',
					'/api/status',
					'/api/usage',
					...OTLP_PATHS,
				].includes(pathname);
				if (known) return send(res, 405, {error: `${req.method} is not allowed on ${pathname}`});
				return send(res, 404, {error: `no such endpoint: ${req.method} ${pathname}`});
			}
		}
	};
}
