/**
 * One line of a recording given to `--replay`, held to the rules every ingest path applies: at
 * most 1 MiB, valid UTF-8, JSON nested at most 64 levels (checked before anything parses it), ids
 * and times as the server takes them; prototype keys are ordinary values. A line may be an
 * mpm-tui record (`--server-only`, `tail`, the journal, an export), a spool line
 * (`{"mpm_spool":1,"id","receivedAt","event"}`), or any event the server accepts (a hook payload,
 * a claude-mpm envelope). A line without a time of its own gets UNTIMED. A bad line gives the
 * reason, never an exception. Pure.
 */
import {isUtf8} from 'node:buffer';
import {ID_RULE, isEpochMs, isValidId, MAX_EPOCH_MS} from '../../core/limits.js';
import {normalize} from '../../core/normalize.js';
import {exceedsDepth, findInvalidUtf8, MAX_JSON_DEPTH} from '../../core/parse-body.js';
import {isSeq} from '../../core/record-check.js';
import type {PendingRecord} from '../../core/record.js';

/** The server's request limit: no line of a recording can be longer and still be an event it took. */
export const MAX_LINE_BYTES = 1_048_576;

/** `seq`: the line's own (a record's), or null when the loader numbers it. */
export type ReplayLine = {ok: true; record: PendingRecord; seq: number | null} | {ok: false; error: string};

/**
 * The time of a line that has none of its own (a raw hook payload carries none): the first instant
 * of 1970, which the player replaces with its own clock as it plays the event (replay.ts).
 */
export const UNTIMED = new Date(0).toISOString();

/** The record's time is the placeholder, not a time of its own (in any spelling of that instant). */
export function isUntimed(time: string): boolean {
	return Date.parse(time) === 0;
}

function isSpace(byte: number): boolean {
	return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/** The line without ASCII whitespace around it (a CRLF file's CR too); empty for a blank line. */
export function trimLine(bytes: Uint8Array): Uint8Array {
	let start = 0;
	let end = bytes.length;
	while (start < end && isSpace(bytes[start])) start++;
	while (end > start && isSpace(bytes[end - 1])) end--;
	return bytes.subarray(start, end);
}

function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fromValue(value: unknown, lineNo: number): ReplayLine {
	const object =
		typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	let event: unknown = value;
	let id = `replay-${lineNo}`;
	let receivedAt = UNTIMED;
	if (object !== null && Object.hasOwn(object, 'mpm_spool')) {
		if (!isValidId(object.id))
			return {ok: false, error: `spool line id must be ${ID_RULE}, got ${shown(object.id)}`};
		if (!isEpochMs(object.receivedAt))
			return {
				ok: false,
				error: `spool line receivedAt must be a time in epoch milliseconds between 1 and ${MAX_EPOCH_MS}, got ${shown(object.receivedAt)}`,
			};
		id = object.id;
		receivedAt = new Date(object.receivedAt).toISOString();
		event = object.event;
	}
	let result;
	try {
		result = normalize(event, {id, receivedAt, source: 'replay'});
	} catch (error) {
		return {
			ok: false,
			error: `event could not be read: ${error instanceof Error ? error.message : String(error)}`,
		};
	}
	if (!result.ok) return {ok: false, error: result.error};
	const seq = object !== null && event === value && isSeq(object.seq) ? object.seq : null;
	return {ok: true, record: result.record, seq};
}

/** The event on one (trimmed, non-blank) line, or why there is none. */
export function replayLine(bytes: Uint8Array, lineNo: number): ReplayLine {
	if (bytes.length > MAX_LINE_BYTES)
		return {ok: false, error: `longer than ${MAX_LINE_BYTES} bytes (${bytes.length})`};
	if (!isUtf8(bytes)) return {ok: false, error: `not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`};
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
	if (exceedsDepth(text)) return {ok: false, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return {ok: false, error: `not JSON (${error instanceof Error ? error.message : String(error)})`};
	}
	return fromValue(value, lineNo);
}
