/**
 * One event body from a claude-mpm monitor (`tool_event`, `hook_event`, `session_event`,
 * `claude_event`: `{type, subtype, data, timestamp, session_id, …}`) as a record, numbered by the
 * client. The body comes from another program: it is checked for depth before anything walks it,
 * and the normalizer's verdict (or anything it throws) becomes a reason, never an exception.
 */
import {normalize} from '../core/normalize.js';
import {MAX_JSON_DEPTH} from '../core/parse-body.js';
import {nestedDeeperThan} from '../core/record-check.js';
import type {EventRecord} from '../core/record.js';

export type BodyRecord = {ok: true; record: EventRecord} | {ok: false; error: string};

/** The body's own `timestamp` as an ISO time when it is one a Date can hold, else `now`. */
function timeOf(body: unknown, now: Date): string {
	const stamp = typeof body === 'object' && body !== null ? (body as {timestamp?: unknown}).timestamp : undefined;
	const ms = typeof stamp === 'string' ? Date.parse(stamp) : Number.NaN;
	return Number.isFinite(ms) ? new Date(ms).toISOString() : now.toISOString();
}

export function recordFromClaudeMpm(body: unknown, id: string, seq: number, now = new Date()): BodyRecord {
	if (nestedDeeperThan(body, MAX_JSON_DEPTH)) return {ok: false, error: `event is nested deeper than ${MAX_JSON_DEPTH} levels`};
	try {
		const result = normalize(body, {id, receivedAt: timeOf(body, now), source: 'mpm'});
		if (!result.ok) return {ok: false, error: result.error};
		return {ok: true, record: {seq, ...result.record}};
	} catch (error) {
		return {ok: false, error: `event could not be read: ${error instanceof Error ? error.message : String(error)}`};
	}
}
