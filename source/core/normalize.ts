/**
 * Turns any of the three accepted input forms into a PendingRecord (record.ts):
 * (a) a raw Claude Code hook payload (`hook_event_name`);
 * (b) a claude-mpm envelope `{namespace?, event?, data:{type, subtype, data?, …}}`, or its bare
 *     inner form `{type, subtype, data?}`, or a namespace-only `{namespace, event, data}`;
 * (c) an already-normalized record (replay files, another mpm-tui).
 * Structural garbage is rejected with a specific reason. Pure.
 */
import type {PendingRecord} from './record.js';
import {hookTypeFromMpm} from './claude-mpm.js';
import {describeJsonType, jsonTypeName} from './parse-body.js';
import {summarize} from './summary.js';
import {sourceTime} from './source-time.js';
import {oneLine} from './text.js';
import {DEFAULT_MAX_FIELD_BYTES, fitsUncut, truncatePayload} from './truncate.js';

export interface NormalizeMeta {
	id: string;
	/**
	 * ISO time stamped on the event's way in: the forwarder's stamp (`X-Mpm-Received`, a spool
	 * line's `receivedAt`) when it has one, else the receive time. The record's `time` unless the
	 * event carries a valid time of its own.
	 */
	receivedAt: string;
	/** ISO time this server (or client) took the event in: the record's `received`. Default: `receivedAt`. */
	received?: string;
	source: string;
}

export interface NormalizeLimits {
	maxFieldBytes: number;
	/** The JSON text the value was parsed from, when known: if nothing in it can need cutting (truncate.ts fitsUncut), the payload is not walked. */
	sourceText?: string;
}

export type NormalizeResult =
	{ok: true; record: PendingRecord; truncated: boolean} | {ok: false; error: string};

type Obj = Record<string, unknown>;

class Reject extends Error {}

function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or null when absent/null; anything else is rejected with a reason. */
function optString(value: Obj, key: string, label = key): string | null {
	const v = value[key];
	if (v === undefined || v === null) return null;
	if (typeof v !== 'string') throw new Reject(`${label} must be a string, got ${jsonTypeName(v)}`);
	return v;
}

/**
 * The first of several alias fields that holds a non-empty string, searching each source in
 * turn. The first key is the canonical name and must be a string when present; the other
 * aliases are skipped when they hold something else.
 */
function firstString(sources: Obj[], keys: string[]): string | null {
	for (const source of sources) {
		for (let k = 0; k < keys.length; k++) {
			const v = k === 0 ? optString(source, keys[k]) : source[keys[k]];
			if (typeof v === 'string' && v !== '') return v;
		}
	}
	return null;
}

/** `max` is the field limit, or null when the source text showed that nothing can need cutting. */
function finish(
	type: string,
	payload: Obj,
	fields: Omit<PendingRecord, 'type' | 'payload' | 'summary'>,
	max: number | null,
	summary?: string,
): NormalizeResult {
	const cut = max === null ? {payload, truncated: false} : truncatePayload(payload, max);
	// One literal in record.ts's field order, so every record has the same hidden class.
	const record: PendingRecord = {
		id: fields.id,
		time: fields.time,
		received: fields.received,
		session: fields.session,
		type,
		tool: fields.tool,
		toolUseId: fields.toolUseId,
		agentId: fields.agentId,
		agentType: fields.agentType,
		cwd: fields.cwd,
		// The summary is made from the full payload so that a cut field still reads well.
		summary: summary === undefined ? summarize(type, payload) : oneLine(summary),
		source: fields.source,
		payload: cut.payload,
	};
	return {ok: true, record, truncated: cut.truncated};
}

function fromHook(value: Obj, meta: NormalizeMeta, max: number | null): NormalizeResult {
	const name = value.hook_event_name;
	if (typeof name !== 'string')
		throw new Reject(`hook_event_name must be a string, got ${jsonTypeName(name)}`);
	if (name.trim() === '') throw new Reject('hook_event_name is empty');
	const type = name.trim();
	return finish(
		type,
		value,
		{
			id: meta.id,
			// A payload's own time, if it has one (Claude Code's have none today); a bad one stays in the payload.
			time: sourceTime(value.timestamp) ?? meta.receivedAt,
			received: meta.received ?? meta.receivedAt,
			session: optString(value, 'session_id'),
			tool: optString(value, 'tool_name'),
			toolUseId: optString(value, 'tool_use_id'),
			agentId: optString(value, 'agent_id'),
			agentType: optString(value, 'agent_type'),
			cwd: optString(value, 'cwd'),
			source: meta.source,
		},
		max,
	);
}

const RECORD_STRING_FIELDS = ['session', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd'] as const;

/** Has `type`, `summary`, `payload`, and `seq` or `id`+`time`. */
function looksNormalized(value: Obj): boolean {
	const has = (key: string) => Object.hasOwn(value, key);
	return has('type') && has('summary') && has('payload') && (has('seq') || (has('id') && has('time')));
}

/**
 * A record's `time` or `received` as the canonical ISO string. Held to the rule of every time the
 * protocol takes (source-time.ts: an ISO 8601 date-time after 1970); `Date.parse` alone would also
 * take "1", "x 2020 (…)" or the year -271821. Unlike an event's own `timestamp`, a record's time
 * has no other place to stay, so a bad one refuses the record.
 */
function recordTime(value: unknown, key: 'time' | 'received'): string {
	const time = sourceTime(value);
	if (time === null)
		throw new Reject(
			`record ${key} must be an ISO date string after 1970 (as 2026-07-27T12:31:53.000Z), got ${JSON.stringify(value)?.slice(0, 40)}`,
		);
	return time;
}

function fromRecord(value: Obj, meta: NormalizeMeta, max: number | null): NormalizeResult {
	if (typeof value.type !== 'string')
		throw new Reject(`record type must be a string, got ${jsonTypeName(value.type)}`);
	if (value.type.trim() === '') throw new Reject('record type is empty');
	if (!isObj(value.payload))
		throw new Reject(`record payload must be an object, got ${jsonTypeName(value.payload)}`);
	if (typeof value.summary !== 'string')
		throw new Reject(`record summary must be a string, got ${jsonTypeName(value.summary)}`);
	const id = value.id === undefined || value.id === null ? meta.id : value.id;
	if (typeof id !== 'string') throw new Reject(`record id must be a string, got ${jsonTypeName(id)}`);
	if (id === '') throw new Reject('record id is empty');
	let time = meta.receivedAt;
	if (value.time !== undefined && value.time !== null) time = recordTime(value.time, 'time');
	// A record keeps when it was first received. One a server stored before `received` existed
	// (it has a seq: a journal, a replay file, an older server's answers) has its `time`, which
	// was then the receive time. One no server has stored yet (no seq: a transcript's usage
	// record, say, whose `time` is the line's) is received now.
	let received =
		Object.hasOwn(value, 'seq') && value.time !== undefined && value.time !== null
			? time
			: (meta.received ?? meta.receivedAt);
	if (value.received !== undefined && value.received !== null)
		received = recordTime(value.received, 'received');
	const fields: Record<(typeof RECORD_STRING_FIELDS)[number], string | null> = {
		session: null,
		tool: null,
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: null,
	};
	for (const key of RECORD_STRING_FIELDS) fields[key] = optString(value, key, `record ${key}`);
	const source = typeof value.source === 'string' && value.source !== '' ? value.source : meta.source;
	return finish(
		value.type.trim(),
		value.payload,
		{id, time, received, ...fields, source},
		max,
		value.summary,
	);
}

interface MpmParts {
	type: string;
	subtype: string | undefined;
	namespace: string | null;
	event: string | null;
	/** The level that holds type/subtype (the envelope's `data`, or the bare object). */
	outer: Obj;
	/** The event's own data: `outer.data` when it is an object, else `outer` without type/subtype. */
	inner: Obj;
}

const hasTypeOrSubtype = (value: Obj) => Object.hasOwn(value, 'type') || Object.hasOwn(value, 'subtype');

function mpmParts(value: Obj): MpmParts | null {
	const namespace = typeof value.namespace === 'string' ? value.namespace : null;
	const event = typeof value.event === 'string' ? value.event : null;
	let outer: Obj;
	// The level with type/subtype is the object itself (the bare form, claude-mpm's server's emits)
	// or its `data` (the envelope); the object's own come first, so that a payload that happens to
	// have a `type` of its own is not taken for the envelope's level.
	if (hasTypeOrSubtype(value)) outer = value;
	else if (isObj(value.data) && hasTypeOrSubtype(value.data)) outer = value.data;
	else if (isObj(value.data) && namespace !== null && event !== null && event !== '') {
		// Namespace-only form, as in claude-mpm's POST /emit: {namespace:'/hook', event:'pre_tool', data:{…}}.
		const ns = namespace.replace(/^\//, '');
		const {type, subtype} = ns === '' ? {type: event, subtype: undefined} : {type: ns, subtype: event};
		return {type, subtype, namespace, event, outer: value.data, inner: value.data};
	} else return null;

	const {type, subtype} = outer;
	if (type !== undefined && typeof type !== 'string')
		throw new Reject(`type must be a string, got ${jsonTypeName(type)}`);
	if (subtype !== undefined && subtype !== null && typeof subtype !== 'string')
		throw new Reject(`subtype must be a string, got ${jsonTypeName(subtype)}`);
	if ((type ?? '').trim() === '' && (subtype ?? '').trim() === '')
		throw new Reject('event has an empty type and subtype');
	let inner: Obj;
	if (isObj(outer.data)) inner = outer.data;
	else {
		if (outer.data !== undefined && outer.data !== null)
			throw new Reject(`data must be an object, got ${jsonTypeName(outer.data)}`);
		const {type: _t, subtype: _s, data: _d, ...rest} = outer;
		inner = rest;
	}
	let t = type ?? 'hook';
	let st = subtype ?? undefined;
	// claude-mpm's older dotted form: {type: 'hook.user_prompt', data}.
	const dot = t.indexOf('.');
	if ((st === undefined || st.trim() === '') && dot > 0 && dot < t.length - 1) {
		st = t.slice(dot + 1);
		t = t.slice(0, dot);
	}
	return {type: t, subtype: st, namespace, event, outer, inner};
}

/** A non-empty `hook_event_name` string at the first level that has one, trimmed; else null. */
function hookNameIn(levels: Obj[]): string | null {
	for (const level of levels) {
		const name = level.hook_event_name;
		if (typeof name === 'string' && name.trim() !== '') return name.trim();
	}
	return null;
}

/** The events a claude-mpm `correlation_id` (its pre_tool/post_tool pairing key) can stand for the tool use id of. */
const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);

function fromMpm(parts: MpmParts, meta: NormalizeMeta, max: number | null): NormalizeResult {
	const {outer, inner} = parts;
	// Claude Code's own payload inside (it has `hook_event_name`) says what happened: its name is the
	// type, and every field comes from it alone. The envelope's copies are claude-hook-fast.sh's,
	// cut out of the payload's text with shell patterns (so from a nested object when the payload
	// has none of its own: PostToolBatch's first tool), or made up (its `correlation_id`).
	const payloadName = hookNameIn([inner]);
	const levels = payloadName !== null || inner === outer ? [inner] : [inner, outer];
	const type = payloadName ?? hookNameIn([outer]) ?? hookTypeFromMpm(parts.type, parts.subtype, inner);
	const mpm: Obj = {
		type: parts.type,
		subtype: parts.subtype ?? null,
		namespace: parts.namespace,
		event: parts.event,
	};
	if (typeof outer.source === 'string') mpm.source = outer.source;
	// The envelope's own time and pairing key are kept as sent (also when the time is not valid).
	if (inner !== outer && Object.hasOwn(outer, 'timestamp')) mpm.timestamp = outer.timestamp;
	if (inner !== outer && Object.hasOwn(outer, 'correlation_id')) mpm.correlation_id = outer.correlation_id;
	const payload: Obj = {...inner, _mpm: mpm};
	const tool = firstString(levels, ['tool_name', 'toolName']);
	// claude-mpm pairs pre_tool/post_tool by its own key (`tool_call_id`, sent as `correlation_id`):
	// the tool use id when the event has none, for tool events only. claude-hook-fast.sh
	// (`source: "fast_hook"`) makes up a new one for every event (`<Tool>_<ms>`), which pairs nothing.
	const correlated =
		TOOL_EVENTS.has(type) && outer.source !== 'fast_hook' ? ['tool_call_id', 'correlation_id'] : [];
	const fields = {
		id: meta.id,
		time: sourceTime(outer.timestamp) ?? sourceTime(inner.timestamp) ?? meta.receivedAt,
		received: meta.received ?? meta.receivedAt,
		session: firstString(levels, ['session_id', 'sessionId']),
		tool,
		toolUseId:
			firstString(levels, ['tool_use_id', 'toolUseId']) ??
			(correlated.length > 0 ? firstString(levels, correlated) : null),
		agentId: firstString(levels, ['agent_id', 'agentId']),
		agentType: firstString(levels, ['agent_type', 'agentType']),
		cwd: firstString(levels, ['cwd', 'working_directory']),
		source: meta.source === 'hook' ? 'mpm' : meta.source,
	};
	// Summarize with the fields found at either level, so `tool_name` on the envelope still shows.
	const summary = summarize(type, {
		...inner,
		tool_name: fields.tool,
		cwd: fields.cwd,
		agent_type: fields.agentType,
		agent_id: fields.agentId,
	});
	return finish(type, payload, fields, max, summary);
}

/**
 * Normalizes one event candidate. `meta.id` and `meta.receivedAt` become the record's id and
 * time unless the input is already a record with its own. `seq` is never set here.
 */
export function normalize(
	value: unknown,
	meta: NormalizeMeta,
	limits?: Partial<NormalizeLimits>,
): NormalizeResult {
	if (!isObj(value)) return {ok: false, error: `event must be a JSON object, got ${describeJsonType(value)}`};
	const limit = limits?.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
	// Every payload below is the value itself or built from its parts, so the text's bounds hold for it.
	const max = limits?.sourceText !== undefined && fitsUncut(limits.sourceText, limit) ? null : limit;
	try {
		// claude-mpm's envelope level (claude-hook-fast.sh's `data`) names the hook too, next to its
		// type, subtype and the hook's payload in `data`: that is an envelope, not a payload.
		if (Object.hasOwn(value, 'hook_event_name') && !(hasTypeOrSubtype(value) && isObj(value.data)))
			return fromHook(value, meta, max);
		if (looksNormalized(value)) return fromRecord(value, meta, max);
		const parts = mpmParts(value);
		if (parts) return fromMpm(parts, meta, max);
		return {ok: false, error: 'event has no hook_event_name, type or subtype'};
	} catch (error) {
		if (error instanceof Reject) return {ok: false, error: error.message};
		throw error;
	}
}
