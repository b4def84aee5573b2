/**
 * The time an event carries from its source (a claude-mpm envelope's `timestamp`, a hook
 * payload's own `timestamp`), checked before it becomes a record's `time`. Only a date-time
 * written the ISO 8601 way is taken: `Date.parse` alone also reads `"1"` (as the year 2001) and
 * other loose forms, which would put an event at a made-up time. Pure.
 */
import {MAX_EPOCH_MS} from './limits.js';

/**
 * `2026-07-27T12:31:53.000Z` (claude-mpm's fast hook), `2026-07-27T12:31:53.123456+00:00`
 * (Python's `isoformat()`), `2026-07-27 12:31:53` (Python's `str()`, local time, as Date reads
 * a time without a zone). Seconds, fraction and zone are optional.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
/** claude-mpm's server writes `datetime.now(UTC).isoformat() + "Z"`: an offset and then a `Z`. */
const OFFSET_THEN_Z = /([+-]\d{2}:?\d{2})Z$/;
/** Longer than any form above: nothing longer is looked at. */
const MAX_LENGTH = 40;

/**
 * The instant `value` names as a canonical ISO string (`toISOString`, UTC, milliseconds), when it
 * is a date-time string of the forms above that a Date can hold, after 1970 (the range
 * `X-Mpm-Received` takes); otherwise null. Never throws.
 */
export function sourceTime(value: unknown): string | null {
	if (typeof value !== 'string' || value.length > MAX_LENGTH) return null;
	const text = value.replace(OFFSET_THEN_Z, '$1');
	if (!ISO_DATE_TIME.test(text)) return null;
	const ms = Date.parse(text);
	if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_EPOCH_MS) return null;
	return new Date(ms).toISOString();
}
