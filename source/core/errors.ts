/**
 * What counts as an error: defined once, here, for the whole monitor. The header's error count,
 * the `is:error` filter, the Sessions tab's error column and the Tools tab's failed and denied
 * calls all ask this module, so on the same events they always agree.
 *
 * An event is an error when it is
 * - `PostToolUseFailure`, unless the user interrupted the call (`is_interrupt: true`): that call
 *   is "interrupted", the user's choice, not a fault;
 * - `PostToolUse` reported as failed (`success: false`, as claude-mpm's post_tool sends it);
 * - `PermissionDenied`: the call was refused and never ran;
 * - `StopFailure`: the turn ended on an API error (rate limit, overload, billing, …);
 * - an event of a type Claude Code does not document (claude-mpm's own, a newer Claude Code's)
 *   whose name says error or failure, or that carries a non-empty `error` field.
 * The documented events other than these never count, whatever fields they carry. Pure.
 */
import {DOCUMENTED_HOOK_EVENTS} from './event-types.js';
import type {EventRecord} from './record.js';

/** tool: a tool call failed · denied: a permission was refused · api: the turn ended on an API error · other: anything else that says it is one. */
export type ErrorKind = 'tool' | 'denied' | 'api' | 'other';

type ErrorInput = Pick<EventRecord, 'type' | 'payload'>;

/** A documented hook event is an error only by the cases above; another type by its name or an `error` field. */
const DOCUMENTED = new Set(DOCUMENTED_HOOK_EVENTS);

const SAYS_ERROR = /error|fail/i;

function hasErrorField(value: unknown): boolean {
	return value !== undefined && value !== null && value !== false && value !== '';
}

/** Which kind of error the event is, or null when it is none (see the module comment). */
export function errorKindOf(record: ErrorInput): ErrorKind | null {
	const payload = record.payload;
	switch (record.type) {
		case 'PostToolUseFailure':
			return payload.is_interrupt === true ? null : 'tool';
		case 'PostToolUse':
			return payload.success === false ? 'tool' : null;
		case 'PermissionDenied':
			return 'denied';
		case 'StopFailure':
			return 'api';
		default:
			if (DOCUMENTED.has(record.type)) return null;
			return SAYS_ERROR.test(record.type) || hasErrorField(payload.error) ? 'other' : null;
	}
}

export function isErrorEvent(record: ErrorInput): boolean {
	return errorKindOf(record) !== null;
}

/** A tool end the user asked for: PostToolUseFailure with `is_interrupt: true`. */
export function isUserInterrupt(record: ErrorInput): boolean {
	return record.type === 'PostToolUseFailure' && record.payload.is_interrupt === true;
}

/** StopFailure's `error` codes in words. */
const API_ERROR_WORDS = new Map<string, string>([
	['rate_limit', 'rate limited'],
	['overloaded', 'API overloaded'],
	['authentication_failed', 'authentication failed'],
	['oauth_org_not_allowed', 'organization not allowed'],
	['billing_error', 'billing error'],
	['invalid_request', 'invalid request'],
	['model_not_found', 'model not found'],
	['server_error', 'API server error'],
	['max_output_tokens', 'output token limit reached'],
	['unknown', 'unknown API error'],
]);

/**
 * A StopFailure's `error` in words (`rate_limit` → `rate limited`); a code this list does not
 * know is shown with its underscores as spaces, a missing one as `API error`.
 */
export function apiErrorWords(error: unknown): string {
	if (typeof error !== 'string' || error.trim() === '') return 'API error';
	const words = API_ERROR_WORDS.get(error);
	if (words !== undefined) return words;
	const plain = error.replace(/_+/g, ' ').trim();
	return plain.length > 60 ? `${plain.slice(0, 59)}…` : plain;
}
