/**
 * A data point of an OTLP metrics export as the fold (otel-metrics.ts) reads it: its value, the
 * key of its cumulative series, its attributes with or without the identity ones. Pure.
 */
import {isIdentityAttribute} from '../otel-identity.js';
import {decodeDouble, decodeInt64, type Decoded} from '../otel-values.js';

/** A value of a data point: `asDouble` or `asInt`. */
export function pointValue(point: Record<string, unknown>): Decoded<number> {
	if (Object.hasOwn(point, 'asDouble')) {
		const d = decodeDouble(point.asDouble);
		if (!d.ok) return {ok: false, error: `asDouble: ${d.error}`};
		if (typeof d.value !== 'number' || !Number.isFinite(d.value))
			return {ok: false, error: `asDouble must be a finite number, got ${String(d.value)}`};
		return {ok: true, value: d.value};
	}
	if (Object.hasOwn(point, 'asInt')) {
		const n = decodeInt64(point.asInt);
		if (!n.ok) return {ok: false, error: `asInt: ${n.error}`};
		return {ok: true, value: Number(n.value)};
	}
	return {ok: false, error: 'has no value (asDouble or asInt)'};
}

/** A canonical text for a set of attributes (sorted keys), for the cumulative series' key. */
export function attributesKey(maps: Array<Map<string, unknown>>): string {
	const entries: Array<[string, unknown]> = [];
	for (const map of maps) for (const entry of map) entries.push(entry);
	entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return JSON.stringify(entries);
}

export function withoutIdentity(map: Map<string, unknown>, keep: boolean): Map<string, unknown> {
	if (keep) return map;
	let out: Map<string, unknown> | undefined;
	for (const key of map.keys()) {
		if (!isIdentityAttribute(key)) continue;
		out ??= new Map(map);
		out.delete(key);
	}
	return out ?? map;
}

export function strAttr(maps: Array<Map<string, unknown>>, key: string): string | null {
	for (let i = maps.length - 1; i >= 0; i--) {
		const value = maps[i].get(key);
		if (typeof value === 'string' && value !== '') return value;
	}
	return null;
}
