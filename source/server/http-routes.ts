/**
 * The HTTP API (docs/protocol.md): POST /api/events, POST /emit, GET /health, GET /api/status,
 * GET /api/events. Every answer is JSON (or NDJSON when asked for history that way); every refusal
 * says why. Origin and token are checked before anything else is read.
 */
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {Config} from '../config.js';
import type {EventRecord} from '../core/record.js';
import {compileFilter} from '../core/filter.js';
import {closeAfterAnswer} from './body.js';
import {ID_RULE, isValidId, parseEpochMs} from '../core/limits.js';
import type {IngestMeta} from './pipeline.js';
import {queryOf, tokenFromRequest, tokenMatches} from './security.js';
import type {ServerGuard} from './server-guard.js';
import type {HealthInfo, IngestResult, ServerStats} from './types.js';

export const EVENTS_LIMIT_MAX = 10_000;

export interface RouteDeps {
	config: Config;
	guard: ServerGuard;
	health(): HealthInfo;
	stats(): ServerStats;
	ingestBytes(bytes: Buffer, contentType: string | undefined, meta: IngestMeta): IngestResult;
	history(since: number, limit: number, test?: (record: EventRecord) => boolean): {events: EventRecord[]; lastSeq: number};
}

const ACCEPTED_TYPES = 'application/json, application/x-ndjson (or application/ndjson, application/jsonl), text/plain';
const ALLOWED_HEADERS = 'Content-Type, Authorization, X-Mpm-Token, X-Mpm-Id, X-Mpm-Received';

function send(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store'});
	res.end(text);
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

function metaFrom(req: IncomingMessage, source: string): IngestMeta | string {
	const meta: IngestMeta = {source};
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
	if (!Number.isSafeInteger(n) || n < min) return `${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`;
	return n;
}

async function postEvents(req: IncomingMessage, res: ServerResponse, deps: RouteDeps, source: string): Promise<void> {
	const type = mediaType(req);
	const typeError = contentTypeError(type);
	if (typeError) {
		req.resume();
		send(res, 415, {error: typeError});
		return;
	}
	const meta = metaFrom(req, source);
	if (typeof meta === 'string') {
		req.resume();
		send(res, 400, {error: meta});
		return;
	}
	const body = await deps.guard.readBody(req);
	if (!body.ok) {
		closeAfterAnswer(req, res, body);
		send(res, body.status, {error: body.error});
		return;
	}
	const result = deps.ingestBytes(body.bytes, type, meta);
	if (result.accepted === 0 && result.duplicates === 0) {
		const answer: Record<string, unknown> = {error: result.error ?? 'no event in the body'};
		if (result.rejected.length > 0) answer.rejected = result.rejected;
		send(res, 400, answer);
		return;
	}
	const answer: Record<string, unknown> = {accepted: result.accepted, duplicates: result.duplicates, lastSeq: result.lastSeq};
	if (result.rejected.length > 0) answer.rejected = result.rejected;
	send(res, 202, answer);
}

function getEvents(req: IncomingMessage, res: ServerResponse, deps: RouteDeps, query: URLSearchParams): void {
	const since = intParam(query, 'since', 0, 0);
	if (typeof since === 'string') return send(res, 400, {error: since});
	const limit = intParam(query, 'limit', 1000, 1);
	if (typeof limit === 'string') return send(res, 400, {error: limit});
	const format = query.get('format');
	if (format !== null && format !== 'json' && format !== 'ndjson') return send(res, 400, {error: `format must be json or ndjson, got ${JSON.stringify(format)}`});
	let test: ((record: EventRecord) => boolean) | undefined;
	const filter = query.get('filter');
	if (filter !== null && filter.trim() !== '') {
		const compiled = compileFilter(filter);
		if (!compiled.ok) return send(res, 400, {error: `filter: ${compiled.error}`});
		test = compiled.test;
	}
	const page = deps.history(since, Math.min(limit, EVENTS_LIMIT_MAX), test);
	const ndjson = format === 'ndjson' || (format === null && (req.headers.accept ?? '').includes('application/x-ndjson'));
	if (!ndjson) return send(res, 200, page);
	const text = page.events.map(e => JSON.stringify(e) + '\n').join('');
	res.writeHead(200, {'Content-Type': 'application/x-ndjson; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Mpm-Last-Seq': String(page.lastSeq), 'Cache-Control': 'no-store'});
	res.end(text);
}

export function createRequestHandler(deps: RouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
	const {config} = deps;
	return (req, res) => {
		// Origin and Host (DNS rebinding) first, for every route; CORS headers for loopback origins.
		if (deps.guard.refuse(req, res)) return;
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const pathname = q === -1 ? url : url.slice(0, q);
		const query = queryOf(url);
		if (req.method === 'OPTIONS') {
			res.writeHead(204, {'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600'});
			res.end();
			return;
		}
		// /health stays open so that a client can tell an mpm-tui server that wants a token from another program.
		if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, deps.health());
		if (config.token !== undefined && !tokenMatches(config.token, tokenFromRequest(req.headers, query))) {
			req.resume();
			send(res, 401, {error: 'missing or wrong token'});
			return;
		}
		const route = `${req.method} ${pathname}`;
		switch (route) {
			case 'POST /api/events':
				void postEvents(req, res, deps, 'hook').catch(error => send(res, 500, {error: String(error)}));
				return;
			case 'POST /emit':
				void postEvents(req, res, deps, 'emit').catch(error => send(res, 500, {error: String(error)}));
				return;
			case 'GET /api/status':
				return send(res, 200, deps.stats());
			case 'GET /api/events':
				return getEvents(req, res, deps, query);
			default: {
				req.resume();
				const known = ['/api/events', '/emit', '/health', '/api/status'].includes(pathname);
				if (known) return send(res, 405, {error: `${req.method} is not allowed on ${pathname}`});
				return send(res, 404, {error: `no such endpoint: ${req.method} ${pathname}`});
			}
		}
	};
}
