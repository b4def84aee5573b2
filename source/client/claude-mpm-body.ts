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

export function recordFromClaudeMpm(body: unknown, id: string, seq: number, now = new Date()): BodyRecord {
	if (nestedDeeperThan(body, MAX_JSON_DEPTH))
		return {ok: false, error: `event is nested deeper than ${MAX_JSON_DEPTH} levels`};
	try {
		// The body's own `timestamp` is the record's time when it is a valid one (core/source-time).
		const arrived = now.toISOString();
		const result = normalize(body, {id, receivedAt: arrived, received: arrived, source: 'mpm'});
		if (!result.ok) return {ok: false, error: result.error};
		return {ok: true, record: {seq, ...result.record}};
	} catch (error) {
		return {
			ok: false,
			error: `event could not be read: ${error instanceof Error ? error.message : String(error)}`,
		};
	}
}
