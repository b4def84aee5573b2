/**
 * OTLP logs → event records. An ExportLogsServiceRequest (`resourceLogs[].scopeLogs[].logRecords[]`)
 * is split into one candidate per log record: its event name, its times, and its resource, scope and
 * record attributes flattened into one payload under the keys the sender gave them
 * (`{"session.id": …, "model": …, "cost_usd": …}`); identity attributes are dropped here unless
 * kept (otel-identity.ts). A record that cannot be read is refused alone with its reason.
 * `otelLogRecord` then makes the pipeline's record of a candidate (`source: "otel"`). Pure.
 */
import type {PendingRecord} from './record.js';
import type {NormalizeLimits, NormalizeMeta, NormalizeResult} from './normalize.js';
import {isIdentityAttribute} from './otel-identity.js';
import {
	decodeAnyValue,
	decodeHexId,
	decodeKeyValues,
	decodeUnixNano,
	isObj,
	own,
	ownArray,
	setOwn,
	type Decoded,
} from './otel-values.js';
import {jsonTypeName} from './parse-body.js';
import {summarize} from './summary.js';
import {DEFAULT_MAX_FIELD_BYTES, truncatePayload} from './truncate.js';

type Obj = Record<string, unknown>;

/** One log record, read: what `otelLogRecord` turns into a record. */
export interface OtelLogEvent {
	type: string;
	/** The record's `timeUnixNano`, else its `observedTimeUnixNano`, in epoch ms; null when neither is valid. */
	timeMs: number | null;
	payload: Obj;
}

export type OtelLogItem =
	{ok: true; value: OtelLogEvent; index: number} | {ok: false; error: string; index: number};

export interface OtelLogsSplit {
	/** One per log record, `index` counting records across the whole request. */
	items: OtelLogItem[];
	/** Parts above the records that could not be read (a `scopeLogs` that is not an array…): they hold no countable record. */
	problems: string[];
	/** Identity attributes dropped (resource, scope and record ones, once per record). */
	identityDropped: number;
}

export interface OtelLogsOptions {
	/**
	 * At most this many bytes (as JSON) of resource and scope attributes copied into the records of
	 * one request: each record carries its resource's and scope's attributes, so a small body with
	 * large ones and many records would otherwise be stored many times over its own size.
	 */
	maxCopiedBytes?: number;
	/** Keep `user.email` and the other identity attributes (off by default). */
	keepIdentity?: boolean;
}

/** Where Claude Code's events come from: a bare `event.name` in this scope gets the `claude_code.` prefix. */
const CLAUDE_CODE_SCOPE = 'com.anthropic.claude_code.events';
/** The record key kept for the OTLP envelope's own fields (scope, severity, body, ids, raw times). */
export const OTEL_META_KEY = '_otel';
const MAX_TYPE_LENGTH = 128;
const PLAIN_NAME = /^[\x21-\x7e]{1,128}$/;

/** The body of an OTLP/HTTP logs request, split into record candidates; an error when it is not one. */
/** A request refused whole; `tooLarge`: what it would store is over the size limit (413, not 400). */
export type SplitLogsResult = {ok: true; value: OtelLogsSplit} | {ok: false; error: string; tooLarge?: true};

/** The size of attributes as JSON text (what a record that carries them adds to the journal). */
function attributesBytes(attributes: Map<string, unknown>): number {
	let bytes = 0;
	for (const [key, value] of attributes) bytes += key.length + (JSON.stringify(value) ?? '').length + 4;
	return bytes;
}

export function splitLogsRequest(body: unknown, options: OtelLogsOptions = {}): SplitLogsResult {
	if (!isObj(body))
		return {
			ok: false,
			error: `an OTLP logs request must be a JSON object with resourceLogs, got ${jsonTypeName(body)}`,
		};
	const resources = ownArray(body, 'resourceLogs', '');
	if (!resources.ok) return resources;
	const out: OtelLogsSplit = {items: [], problems: [], identityDropped: 0};
	const keep = options.keepIdentity === true;
	let index = 0;
	let copied = 0;
	const maxCopied = options.maxCopiedBytes ?? Number.POSITIVE_INFINITY;
	const list = resources.value ?? [];
	for (let r = 0; r < list.length; r++) {
		const resourceLogs = list[r];
		const where = `resourceLogs[${r}]`;
		if (!isObj(resourceLogs)) {
			out.problems.push(`${where} must be an object, got ${jsonTypeName(resourceLogs)}`);
			continue;
		}
		const resource = own(resourceLogs, 'resource');
		const resourceAttrs = decodeKeyValues(
			isObj(resource) ? own(resource, 'attributes') : undefined,
			`${where}.resource.attributes`,
		);
		const scopes = ownArray(resourceLogs, 'scopeLogs', `${where}.`);
		if (!scopes.ok) {
			out.problems.push(scopes.error);
			continue;
		}
		for (let s = 0; s < (scopes.value ?? []).length; s++) {
			const scopeLogs = scopes.value![s];
			const at = `${where}.scopeLogs[${s}]`;
			if (!isObj(scopeLogs)) {
				out.problems.push(`${at} must be an object, got ${jsonTypeName(scopeLogs)}`);
				continue;
			}
			const records = ownArray(scopeLogs, 'logRecords', `${at}.`);
			if (!records.ok) {
				out.problems.push(records.error);
				continue;
			}
			const scope = own(scopeLogs, 'scope');
			const scopeName =
				isObj(scope) && typeof own(scope, 'name') === 'string' ? (own(scope, 'name') as string) : null;
			const scopeAttrs = decodeKeyValues(
				isObj(scope) ? own(scope, 'attributes') : undefined,
				`${at}.scope.attributes`,
			);
			const outerBytes =
				(resourceAttrs.ok ? attributesBytes(resourceAttrs.value) : 0) +
				(scopeAttrs.ok ? attributesBytes(scopeAttrs.value) : 0);
			for (const record of records.value ?? []) {
				const i = index++;
				copied += outerBytes;
				if (copied > maxCopied) {
					return {
						ok: false,
						tooLarge: true,
						error: `the resource and scope attributes copied into each log record come to more than ${maxCopied} bytes for this request (${outerBytes} bytes × ${records.value!.length} records under ${at}): send fewer records per request or smaller resource attributes`,
					};
				}
				// A resource or scope whose attributes cannot be read refuses its records, each with the reason.
				if (!resourceAttrs.ok) out.items.push({ok: false, error: resourceAttrs.error, index: i});
				else if (!scopeAttrs.ok) out.items.push({ok: false, error: scopeAttrs.error, index: i});
				else {
					const item = readRecord(record, [resourceAttrs.value, scopeAttrs.value], scopeName, keep);
					if (item.ok) {
						out.identityDropped += item.value.dropped;
						out.items.push({ok: true, value: item.value.event, index: i});
					} else out.items.push({ok: false, error: `log record ${i}: ${item.error}`, index: i});
				}
			}
		}
	}
	return {ok: true, value: out};
}

function readRecord(
	record: unknown,
	outer: Array<Map<string, unknown>>,
	scopeName: string | null,
	keep: boolean,
): Decoded<{event: OtelLogEvent; dropped: number}> {
	if (!isObj(record)) return {ok: false, error: `must be an object, got ${jsonTypeName(record)}`};
	const attrs = decodeKeyValues(own(record, 'attributes'), 'attributes');
	if (!attrs.ok) return attrs;
	const body = decodeAnyValue(own(record, 'body'));
	if (!body.ok) return {ok: false, error: `body: ${body.error}`};
	const type = eventType(own(record, 'eventName'), attrs.value.get('event.name'), body.value, scopeName);
	if (!type.ok) return type;
	const traceId = decodeHexId(own(record, 'traceId'), 'traceId', 16);
	if (!traceId.ok) return traceId;
	const spanId = decodeHexId(own(record, 'spanId'), 'spanId', 8);
	if (!spanId.ok) return spanId;
	// A time that cannot be read falls back to the next one (observed, then received): the event is still worth having.
	const time = decodeUnixNano(own(record, 'timeUnixNano'), 'timeUnixNano');
	const observed = decodeUnixNano(own(record, 'observedTimeUnixNano'), 'observedTimeUnixNano');
	const timeMs = (time.ok ? time.value : null) ?? (observed.ok ? observed.value : null);

	const payload: Obj = {};
	let dropped = 0;
	// Resource, then scope, then the record's own: the most specific value of a key wins.
	for (const map of [...outer, attrs.value]) {
		for (const [key, value] of map) {
			if (!keep && isIdentityAttribute(key)) {
				dropped++;
				continue;
			}
			setOwn(payload, key, value);
		}
	}
	const meta: Obj = {scope: scopeName};
	const severityText = own(record, 'severityText');
	if (typeof severityText === 'string' && severityText !== '') meta.severityText = severityText;
	const severityNumber = own(record, 'severityNumber');
	if (typeof severityNumber === 'number' && Number.isSafeInteger(severityNumber) && severityNumber !== 0)
		meta.severityNumber = severityNumber;
	if (body.value !== null && body.value !== type.value) meta.body = body.value;
	if (traceId.value !== null) meta.traceId = traceId.value;
	if (spanId.value !== null) meta.spanId = spanId.value;
	for (const [key, raw] of [
		['timeUnixNano', own(record, 'timeUnixNano')],
		['observedTimeUnixNano', own(record, 'observedTimeUnixNano')],
	] as const) {
		// Kept as the sender wrote it (nanoseconds), when it is a plain number or digits.
		if (
			typeof raw === 'string' ? /^\d{1,20}$/.test(raw) : typeof raw === 'number' && Number.isSafeInteger(raw)
		)
			meta[key] = String(raw);
	}
	setOwn(payload, OTEL_META_KEY, meta);
	return {ok: true, value: {event: {type: type.value, timeMs, payload}, dropped}};
}

/**
 * The record's type: OTLP's `eventName` field; else its `event.name` attribute (Claude Code's
 * bare `api_request` becomes `claude_code.api_request`, the name its body and its docs give);
 * else a body that is a plain name. One printable word of at most 128 characters.
 */
function eventType(
	field: unknown,
	attribute: unknown,
	body: unknown,
	scopeName: string | null,
): Decoded<string> {
	let name: string | null = null;
	if (typeof field === 'string' && field !== '') name = field;
	else if (typeof attribute === 'string' && attribute !== '') {
		name = attribute;
		if (!name.includes('.')) {
			if (typeof body === 'string' && body.endsWith(`.${name}`) && body.length <= MAX_TYPE_LENGTH)
				name = body;
			else if (scopeName === CLAUDE_CODE_SCOPE) name = `claude_code.${name}`;
		}
	} else if (typeof body === 'string' && PLAIN_NAME.test(body)) name = body;
	if (name === null)
		return {
			ok: false,
			error: 'has no event name (no eventName, no event.name attribute, no body that is a name)',
		};
	if (!PLAIN_NAME.test(name))
		return {
			ok: false,
			error: `event name must be 1 to ${MAX_TYPE_LENGTH} printable ASCII characters without spaces, got ${JSON.stringify(name.slice(0, 40))}${name.length > 40 ? '…' : ''}`,
		};
	return {ok: true, value: name};
}

function str(payload: Obj, key: string): string | null {
	const value = Object.hasOwn(payload, key) ? payload[key] : undefined;
	return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The pipeline's converter for a candidate from splitLogsRequest (pipeline.ts `ingestConverted`):
 * the record's type and time, session from `session.id`, tool use id from `tool_use_id`, the
 * tool from `tool_name`, the payload cut to the field limit. Never throws for any `value`.
 */
export function otelLogRecord(
	value: unknown,
	meta: NormalizeMeta,
	limits?: Partial<NormalizeLimits>,
): NormalizeResult {
	if (!isObj(value) || typeof value.type !== 'string' || !isObj(value.payload))
		return {ok: false, error: 'not an OTLP log record'};
	const event = value as unknown as OtelLogEvent;
	const payload = event.payload;
	const cut = truncatePayload(payload, limits?.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES);
	const record: PendingRecord = {
		id: meta.id,
		time: event.timeMs === null ? meta.receivedAt : new Date(event.timeMs).toISOString(),
		received: meta.received ?? meta.receivedAt,
		session: str(payload, 'session.id'),
		type: event.type,
		tool: str(payload, 'tool_name'),
		toolUseId: str(payload, 'tool_use_id'),
		agentId: null,
		agentType: null,
		cwd: null,
		summary: summarize(event.type, payload),
		source: meta.source,
		payload: cut.payload,
	};
	return {ok: true, record, truncated: cut.truncated};
}
