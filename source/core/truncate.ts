/**
 * Bounds a payload's size: long strings and long arrays are cut with a marker, and nesting
 * deeper than MAX_PAYLOAD_DEPTH is replaced. Copy-on-write: the input is never mutated, and when
 * nothing needs cutting the very same object comes back (the hot path allocates nothing). Pure.
 */

import type {PendingRecord} from './record.js';

export const DEFAULT_MAX_FIELD_BYTES = 16_384;
export const MAX_ARRAY_ITEMS = 1000;
export const MAX_PAYLOAD_DEPTH = 32;
export const TOO_DEEP_MARKER = '[mpm-tui: nested too deep]';

/** The marker appended to a cut string. */
export function cutMarker(removed: number): string {
	return `…[mpm-tui: cut ${removed} chars]`;
}

/** The element that replaces the cut tail of a long array. */
export function arrayCutMarker(removed: number): string {
	return `[mpm-tui: cut ${removed} items]`;
}

/** Cuts `s` to at most `max` UTF-16 units (never inside a surrogate pair) and appends the marker. */
export function cutString(s: string, max: number): string {
	if (s.length <= max) return s;
	let keep = max;
	const last = s.charCodeAt(keep - 1);
	if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
	return s.slice(0, keep) + cutMarker(s.length - keep);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	// `__proto__` from JSON.parse is an own data property; plain assignment would set the prototype.
	if (key === '__proto__')
		Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
	else target[key] = value;
}

function cut(value: unknown, max: number, depth: number): unknown {
	if (typeof value === 'string') return value.length > max ? cutString(value, max) : value;
	if (typeof value !== 'object' || value === null) return value;
	if (depth > MAX_PAYLOAD_DEPTH) return TOO_DEEP_MARKER;
	if (Array.isArray(value)) {
		const limit = Math.min(value.length, MAX_ARRAY_ITEMS);
		let out: unknown[] | undefined;
		for (let i = 0; i < limit; i++) {
			const item = value[i];
			const next = cut(item, max, depth + 1);
			if (next !== item && out === undefined) out = value.slice(0, i);
			if (out !== undefined) out.push(next);
		}
		if (value.length > MAX_ARRAY_ITEMS) {
			out ??= value.slice(0, limit);
			out.push(arrayCutMarker(value.length - limit));
		}
		return out ?? value;
	}
	const source = value as Record<string, unknown>;
	const keys = Object.keys(source);
	let out: Record<string, unknown> | undefined;
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i];
		const item = source[key];
		const next = cut(item, max, depth + 1);
		if (next !== item && out === undefined) {
			out = {};
			for (let j = 0; j < i; j++) setOwn(out, keys[j], source[keys[j]]);
		}
		if (out !== undefined) setOwn(out, key, next);
	}
	return out ?? value;
}

/**
 * True when a payload parsed from the JSON text `json` — or built from parts of that value, as
 * normalize does — cannot hold anything truncatePayload would cut, so the walk can be skipped:
 * - a string in it is at least 2 characters shorter than its JSON (the quotes; an escape is longer
 *   than its character), so none is longer than `json` ≤ the field limit;
 * - an array of more than MAX_ARRAY_ITEMS items takes more than 2·MAX_ARRAY_ITEMS characters
 *   (one per item, a comma between);
 * - a container deeper than MAX_PAYLOAD_DEPTH needs more than that many `{` or `[` in the text.
 */
export function fitsUncut(json: string, maxFieldBytes: number): boolean {
	if (json.length > Math.max(1, Math.floor(maxFieldBytes)) || json.length > 2 * MAX_ARRAY_ITEMS) return false;
	let open = 0;
	for (let i = json.indexOf('{'); i !== -1; i = json.indexOf('{', i + 1))
		if (++open > MAX_PAYLOAD_DEPTH) return false;
	for (let i = json.indexOf('['); i !== -1; i = json.indexOf('[', i + 1))
		if (++open > MAX_PAYLOAD_DEPTH) return false;
	return true;
}

/**
 * Returns the payload with strings longer than `maxFieldBytes` cut, arrays longer than
 * MAX_ARRAY_ITEMS cut, and anything nested deeper than MAX_PAYLOAD_DEPTH replaced by
 * TOO_DEEP_MARKER. `truncated` is false and `payload` is the same object when nothing was cut.
 */
export function truncatePayload(
	payload: Record<string, unknown>,
	maxFieldBytes: number,
): {payload: Record<string, unknown>; truncated: boolean} {
	const max = Math.max(1, Math.floor(maxFieldBytes));
	const next = cut(payload, max, 1) as Record<string, unknown>;
	return {payload: next, truncated: next !== payload};
}

/** A record's own text fields, held to the same limit as a payload's strings. `id` is its identity: never cut. */
const RECORD_TEXT_FIELDS = [
	'type',
	'session',
	'tool',
	'toolUseId',
	'agentId',
	'agentType',
	'cwd',
	'summary',
	'source',
] as const;

/**
 * The record with each text field longer than `maxFieldBytes` cut as a payload string is
 * (cutString's marker), whichever source made it: a hook's `session_id` or `cwd`, a record sent
 * whole, an OTLP attribute. Copy-on-write: the same record comes back when nothing is cut.
 */
export function boundRecordFields(record: PendingRecord, maxFieldBytes: number): PendingRecord {
	const max = Math.max(1, Math.floor(maxFieldBytes));
	let out: PendingRecord | undefined;
	for (const key of RECORD_TEXT_FIELDS) {
		const value = record[key];
		if (typeof value === 'string' && value.length > max) {
			out ??= {...record};
			out[key] = cutString(value, max);
		}
	}
	return out ?? record;
}
