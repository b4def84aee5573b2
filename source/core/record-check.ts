/**
 * What a client checks before it hands on a record a server sent (Socket.IO `events`, a `history`
 * answer): the shape `EventRecord` promises — every field of its type — and a payload no deeper
 * than the ingest limit, so that nothing after it (the views, the detail view, NDJSON writers)
 * meets a value it would throw on. A broken or hostile server's record is refused with a reason.
 * Pure.
 */
import {MAX_JSON_DEPTH} from './parse-body.js';
import type {EventRecord} from './record.js';

export type RecordCheck = {ok: true; record: EventRecord} | {ok: false; error: string; seq: number | null};

const OPTIONAL_STRINGS = ['session', 'tool', 'toolUseId', 'agentId', 'agentType', 'cwd'] as const;
const REQUIRED_STRINGS = ['id', 'time', 'summary', 'source'] as const;

/** A seq a server may give: a whole number from 1 up to 2^53 − 1. */
export function isSeq(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * True when objects and arrays nest deeper than `limit` in `value` (the value itself, when it is
 * one, is level 1: the depth its JSON text would have). Walks with a stack of its own, never
 * recursion, so any depth costs no call stack.
 */
export function nestedDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
	if (typeof value !== 'object' || value === null) return false;
	const values: unknown[] = [value];
	const depths: number[] = [1];
	while (values.length > 0) {
		const current = values.pop() as object;
		const depth = depths.pop()!;
		if (depth > limit) return true;
		for (const child of Array.isArray(current) ? current : Object.values(current)) {
			if (typeof child === 'object' && child !== null) {
				values.push(child);
				depths.push(depth + 1);
			}
		}
	}
	return false;
}

/**
 * The record, when `value` is one; else why not (and its seq, when that much is readable, so the
 * client can step past it). Optional string fields that are missing are set to null in place, and
 * a missing `received` (a server from before it existed) to the record's `time`.
 */
export function checkRecord(value: unknown): RecordCheck {
	if (!isPlainObject(value))
		return {ok: false, error: `a record must be a JSON object, got ${typeName(value)}`, seq: null};
	const seq = isSeq(value.seq) ? value.seq : null;
	const refuse = (error: string): RecordCheck => ({ok: false, error, seq});
	if (seq === null)
		return refuse(
			`record seq must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${typeName(value.seq) === 'number' ? String(value.seq) : typeName(value.seq)}`,
		);
	for (const key of REQUIRED_STRINGS) {
		if (typeof value[key] !== 'string')
			return refuse(`record ${key} must be a string, got ${typeName(value[key])}`);
	}
	if (value.received === undefined) value.received = value.time;
	else if (typeof value.received !== 'string')
		return refuse(`record received must be a string, got ${typeName(value.received)}`);
	if (typeof value.type !== 'string' || value.type === '')
		return refuse(
			`record type must be a non-empty string, got ${value.type === '' ? 'an empty one' : typeName(value.type)}`,
		);
	for (const key of OPTIONAL_STRINGS) {
		const field = value[key];
		if (field === undefined) value[key] = null;
		else if (field !== null && typeof field !== 'string')
			return refuse(`record ${key} must be a string or null, got ${typeName(field)}`);
	}
	if (!isPlainObject(value.payload))
		return refuse(`record payload must be an object, got ${typeName(value.payload)}`);
	if (nestedDeeperThan(value.payload))
		return refuse(`record payload is nested deeper than ${MAX_JSON_DEPTH} levels`);
	return {ok: true, record: value as unknown as EventRecord};
}
