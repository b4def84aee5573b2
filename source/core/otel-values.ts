/**
 * Reading the parts of an OTLP/HTTP JSON body (the proto3 JSON mapping: lowerCamelCase names,
 * int64 as strings or numbers, enums as numbers or names, trace and span ids as hex, other bytes
 * as base64) into plain values. Attribute lists become a `Map` (no key of the sender's is ever
 * looked up on an object); every failure is a reason, never a throw. Pure.
 */
import {MAX_EPOCH_MS} from './limits.js';
import {jsonTypeName} from './parse-body.js';

type Obj = Record<string, unknown>;

export type Decoded<T> = {ok: true; value: T} | {ok: false; error: string};

/** An AnyValue nested deeper than this (arrays in kvlists in arrays…) is refused. */
export const MAX_ANY_VALUE_DEPTH = 16;

export function isObj(value: unknown): value is Obj {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `obj[key]` when it is the object's own field, else undefined (a `__proto__` or `constructor` key is never inherited). */
export function own(obj: Obj, key: string): unknown {
	return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** The top-level list of each OTLP/HTTP request, and its endpoint. */
const REQUEST_LISTS: ReadonlyArray<readonly [string, string]> = [
	['resourceLogs', '/v1/logs'],
	['resourceMetrics', '/v1/metrics'],
	['resourceSpans', '/v1/traces'],
];

/**
 * Why an OTLP request object holds nothing for this endpoint, or null when it has its list `key`
 * (`resourceLogs`…) or is `{}`. OTLP/JSON receivers must ignore unknown fields and answer an
 * empty request with success, so such a body is not refused; this is the warning its answer
 * carries (partialSuccess with 0 rejected), so that a misdirected exporter is told: another
 * signal's request names the endpoint it belongs to, anything else the fields it has.
 */
export function missingListWarning(body: unknown, key: string, kind: string): string | null {
	if (!isObj(body) || Object.hasOwn(body, key)) return null;
	const keys = Object.keys(body);
	if (keys.length === 0) return null;
	for (const [other, endpoint] of REQUEST_LISTS)
		if (other !== key && Object.hasOwn(body, other))
			return `nothing taken: this is not an OTLP ${kind} request (no ${key}); it has ${other}: send it to ${endpoint}`;
	const shown = keys.slice(0, 3).map((k) => JSON.stringify(k.slice(0, 40)));
	const more = keys.length > 3 ? ` and ${keys.length - 3} more` : '';
	return `nothing taken: this is not an OTLP ${kind} request (no ${key}); its fields ${shown.join(', ')}${more} are not OTLP's`;
}

/** An optional array field: undefined when absent or null, an error when it is anything else. */
export function ownArray(obj: Obj, key: string, where: string): Decoded<unknown[] | undefined> {
	const value = own(obj, key);
	if (value === undefined || value === null) return {ok: true, value: undefined};
	if (!Array.isArray(value))
		return {ok: false, error: `${where}${key} must be an array, got ${jsonTypeName(value)}`};
	return {ok: true, value};
}

/** Sets `key` as the object's own data property, also when it is `__proto__` (as JSON.parse makes it). */
export function setOwn(target: Obj, key: string, value: unknown): void {
	if (key === '__proto__')
		Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
	else target[key] = value;
}

const INT64_TEXT = /^-?\d{1,20}$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * An int64 as JSON carries it: a string of digits or a whole number. A safe integer becomes a
 * number; a larger one stays the decimal string (no digit is lost).
 */
export function decodeInt64(value: unknown): Decoded<number | string> {
	if (typeof value === 'number') {
		if (Number.isInteger(value)) return {ok: true, value};
		return {ok: false, error: `an int64 must be a whole number, got ${value}`};
	}
	if (typeof value === 'string' && INT64_TEXT.test(value)) {
		const n = Number(value);
		if (Number.isSafeInteger(n)) return {ok: true, value: n};
		const big = BigInt(value);
		if (big > 9_223_372_036_854_775_807n || big < -9_223_372_036_854_775_808n)
			return {ok: false, error: `an int64 is out of range: ${value}`};
		return {ok: true, value};
	}
	return {ok: false, error: `an int64 must be a whole number or a string of digits, got ${describe(value)}`};
}

/** A double: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"` (kept as those strings: JSON has no such numbers). */
export function decodeDouble(value: unknown): Decoded<number | string> {
	if (typeof value === 'number') return {ok: true, value};
	if (typeof value === 'string') {
		if (NON_FINITE.has(value)) return {ok: true, value};
		if (value.trim() !== '' && value.length <= 32 && Number.isFinite(Number(value)))
			return {ok: true, value: Number(value)};
	}
	return {ok: false, error: `a double must be a number, got ${describe(value)}`};
}

/** A short description of a wrong value for a reason: its type, and short strings as they are. */
function describe(value: unknown): string {
	if (typeof value === 'string')
		return value.length > 24 ? `a string of ${value.length} characters` : JSON.stringify(value);
	return jsonTypeName(value);
}

/**
 * A `*UnixNano` field as epoch milliseconds: null when absent or 0 (the OTLP "unknown"), else the
 * whole milliseconds when it is an int64 that a Date can hold (after 1970), else an error.
 */
export function decodeUnixNano(value: unknown, field: string): Decoded<number | null> {
	if (value === undefined || value === null || value === 0 || value === '0') return {ok: true, value: null};
	let ms: number;
	if (typeof value === 'string' && /^\d{1,20}$/.test(value))
		ms = value.length <= 6 ? 0 : Number(value.slice(0, -6));
	else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) ms = Math.floor(value / 1e6);
	else
		return {
			ok: false,
			error: `${field} must be nanoseconds since 1970 (a string of digits), got ${describe(value)}`,
		};
	if (!(ms > 0 && ms <= MAX_EPOCH_MS))
		return {ok: false, error: `${field} is out of range: ${describe(value)}`};
	return {ok: true, value: ms};
}

/**
 * An AnyValue as a plain value: string, boolean, number (int64 beyond 2^53 as its decimal string,
 * a non-finite double as `"NaN"`…), array, object (kvlist), base64 text (bytes), null (empty).
 */
export function decodeAnyValue(value: unknown, depth = 0): Decoded<unknown> {
	if (depth > MAX_ANY_VALUE_DEPTH)
		return {ok: false, error: `a value is nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`};
	if (value === undefined || value === null) return {ok: true, value: null};
	if (!isObj(value))
		return {
			ok: false,
			error: `a value must be an AnyValue object ({"stringValue": …} and the like), got ${jsonTypeName(value)}`,
		};
	// Exactly one of these is set (a oneof); an empty object is an empty value.
	if (Object.hasOwn(value, 'stringValue')) {
		const s = value.stringValue;
		return typeof s === 'string'
			? {ok: true, value: s}
			: {ok: false, error: `stringValue must be a string, got ${jsonTypeName(s)}`};
	}
	if (Object.hasOwn(value, 'boolValue')) {
		const b = value.boolValue;
		return typeof b === 'boolean'
			? {ok: true, value: b}
			: {ok: false, error: `boolValue must be true or false, got ${jsonTypeName(b)}`};
	}
	if (Object.hasOwn(value, 'intValue')) {
		const n = decodeInt64(value.intValue);
		return n.ok ? n : {ok: false, error: `intValue: ${n.error}`};
	}
	if (Object.hasOwn(value, 'doubleValue')) {
		const d = decodeDouble(value.doubleValue);
		return d.ok ? d : {ok: false, error: `doubleValue: ${d.error}`};
	}
	if (Object.hasOwn(value, 'bytesValue')) {
		const b = value.bytesValue;
		return typeof b === 'string' && BASE64_TEXT.test(b)
			? {ok: true, value: b}
			: {ok: false, error: `bytesValue must be base64 text, got ${describe(b)}`};
	}
	if (Object.hasOwn(value, 'arrayValue')) {
		const array = value.arrayValue;
		if (!isObj(array))
			return {ok: false, error: `arrayValue must be an object with values, got ${jsonTypeName(array)}`};
		const values = ownArray(array, 'values', 'arrayValue.');
		if (!values.ok) return values;
		const out: unknown[] = [];
		for (const item of values.value ?? []) {
			const decoded = decodeAnyValue(item, depth + 1);
			if (!decoded.ok) return decoded;
			out.push(decoded.value);
		}
		return {ok: true, value: out};
	}
	if (Object.hasOwn(value, 'kvlistValue')) {
		const list = value.kvlistValue;
		if (!isObj(list))
			return {ok: false, error: `kvlistValue must be an object with values, got ${jsonTypeName(list)}`};
		const entries = decodeKeyValues(own(list, 'values'), 'kvlistValue.values', depth + 1);
		if (!entries.ok) return entries;
		const out: Obj = {};
		for (const [key, item] of entries.value) setOwn(out, key, item);
		return {ok: true, value: out};
	}
	return {ok: true, value: null};
}

/**
 * A list of KeyValue (`attributes`, a kvlist's `values`) as a Map in the sender's order; a key
 * given twice keeps its last value. Absent or null is an empty list.
 */
export function decodeKeyValues(list: unknown, field: string, depth = 0): Decoded<Map<string, unknown>> {
	const out = new Map<string, unknown>();
	if (list === undefined || list === null) return {ok: true, value: out};
	if (!Array.isArray(list)) return {ok: false, error: `${field} must be an array, got ${jsonTypeName(list)}`};
	for (let i = 0; i < list.length; i++) {
		const entry = list[i];
		if (!isObj(entry))
			return {
				ok: false,
				error: `${field}[${i}] must be an object with key and value, got ${jsonTypeName(entry)}`,
			};
		const key = own(entry, 'key');
		if (typeof key !== 'string')
			return {ok: false, error: `${field}[${i}].key must be a string, got ${jsonTypeName(key)}`};
		const value = decodeAnyValue(own(entry, 'value'), depth);
		if (!value.ok)
			return {
				ok: false,
				error: `${field}[${i}] (${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)}): ${value.error}`,
			};
		out.set(key, value.value);
	}
	return {ok: true, value: out};
}

/** A trace or span id: hex text of the given byte length (empty means unset). */
export function decodeHexId(value: unknown, field: string, bytes: number): Decoded<string | null> {
	if (value === undefined || value === null || value === '') return {ok: true, value: null};
	if (typeof value === 'string' && value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value))
		return {ok: true, value: value.toLowerCase()};
	return {ok: false, error: `${field} must be ${bytes * 2} hex digits, got ${describe(value)}`};
}

/** An enum as the JSON mapping allows it: its number, or its name looked up in `names` (a Map). */
export function decodeEnum(
	value: unknown,
	names: ReadonlyMap<string, number>,
	field: string,
): Decoded<number> {
	if (value === undefined || value === null) return {ok: true, value: 0};
	if (typeof value === 'number' && Number.isSafeInteger(value)) return {ok: true, value};
	if (typeof value === 'string') {
		const n = names.get(value);
		if (n !== undefined) return {ok: true, value: n};
	}
	return {ok: false, error: `${field} must be one of the enum's numbers or names, got ${describe(value)}`};
}
