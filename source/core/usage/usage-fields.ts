/**
 * Reading usage facts out of event records: telemetry's `claude_code.*` events (attributes
 * flattened into the payload, numbers as numbers or numeric strings), `transcript.usage` records
 * and the hook events that name prompts and tool calls. Own properties only: a payload is hostile
 * input. Pure.
 */
import type {EventRecord} from '../record.js';
import {numberOf} from '../otel-summary.js';
import type {TokenTotals} from './usage-types.js';

type Obj = Record<string, unknown>;

const MAX_ID = 256;
/** More tokens than this in one request, or more ms, is not a real figure. */
const MAX_COUNT = 1e12;
const MAX_USD = 1e6;

export function own(payload: Obj, key: string): unknown {
	return Object.hasOwn(payload, key) ? payload[key] : undefined;
}

/** A short non-empty string (ids, models, names), else null. */
export function idOf(value: unknown): string | null {
	return typeof value === 'string' && value !== '' && value.length <= MAX_ID ? value : null;
}

/** A count or duration ≥ 0 (number or numeric string), else null. */
export function countOf(value: unknown): number | null {
	const n = numberOf(value);
	return n === undefined || n < 0 || n > MAX_COUNT ? null : n;
}

export function usdOf(value: unknown): number | null {
	const n = numberOf(value);
	return n === undefined || n < 0 || n > MAX_USD ? null : n;
}

export function boolOf(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return null;
}

export function emptyTokens(): TokenTotals {
	return {input: 0, output: 0, cacheWrite: 0, cacheRead: 0};
}

/** The prompt a telemetry event names (`prompt.id`), or a hook event (`prompt_id`). */
export function promptIdOf(rec: EventRecord): string | null {
	return idOf(own(rec.payload, 'prompt.id')) ?? idOf(own(rec.payload, 'prompt_id'));
}

export function toolUseIdOf(rec: EventRecord): string | null {
	return idOf(rec.toolUseId) ?? idOf(own(rec.payload, 'tool_use_id'));
}

/** Telemetry's api_request tokens, or null when it names none. */
export function otelTokens(payload: Obj): TokenTotals | null {
	const input = countOf(own(payload, 'input_tokens'));
	const output = countOf(own(payload, 'output_tokens'));
	const cacheWrite = countOf(own(payload, 'cache_creation_tokens'));
	const cacheRead = countOf(own(payload, 'cache_read_tokens'));
	if (input === null && output === null && cacheWrite === null && cacheRead === null) return null;
	return {input: input ?? 0, output: output ?? 0, cacheWrite: cacheWrite ?? 0, cacheRead: cacheRead ?? 0};
}

export function transcriptTokens(payload: Obj): TokenTotals {
	return {
		input: countOf(own(payload, 'inputTokens')) ?? 0,
		output: countOf(own(payload, 'outputTokens')) ?? 0,
		cacheWrite: countOf(own(payload, 'cacheCreationTokens')) ?? 0,
		cacheRead: countOf(own(payload, 'cacheReadTokens')) ?? 0,
	};
}

export function timeOf(rec: EventRecord, fallback: number): number {
	const t = Date.parse(rec.time);
	return Number.isFinite(t) ? t : fallback;
}
