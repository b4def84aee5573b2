/**
 * One spool line, `{"mpm_spool":1,"id":"…","receivedAt":<epoch ms>,"event":<the hook JSON>}`, to
 * the event's text and metadata, or the reason it is refused. A spooled event is held to the rules
 * of the POST it replaces (core/limits.ts, core/parse-body.ts): valid UTF-8, JSON nested no deeper
 * than the HTTP limit (checked on the text, before anything recursive runs), an id that would pass
 * as `X-Mpm-Id`, a receive time in Date's range. No I/O.
 */
import {isAscii, isUtf8} from 'node:buffer';
import {jsonErrorOffset} from '../core/json-error.js';
import {ID_RULE, isEpochMs, isValidId, MAX_EPOCH_MS} from '../core/limits.js';
import {exceedsDepth, findInvalidUtf8, MAX_JSON_DEPTH, utf8Offset} from '../core/parse-body.js';
import type {IngestMeta} from './pipeline.js';

export type ParsedLine = {ok: true; text: string; meta: IngestMeta} | {ok: false; error: string};

/**
 * How the forwarders write a line: these four members in this order. Then the event is the last
 * member and its own text (as the forwarder received it, numbers and all) can be handed on as is,
 * like an HTTP body; any other layout is handed on as JSON.stringify of the parsed event.
 */
const FORWARDER_LAYOUT = /^\{"mpm_spool":1,"id":"[A-Za-z0-9._:-]{1,128}","receivedAt":\d{1,16},"event":/;
const CONTRACT_KEYS = ['mpm_spool', 'id', 'receivedAt', 'event'];

/** Whitespace JSON allows after a value (the forwarders fold CR and LF to spaces). */
function isJsonSpace(code: number): boolean {
	return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Decodes bytes that must be UTF-8; undefined when they are not. */
export function decodeUtf8(bytes: Buffer): string | undefined {
	if (isAscii(bytes)) return bytes.toString('latin1');
	return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

export function parseSpoolLine(bytes: Buffer): ParsedLine {
	const text = decodeUtf8(bytes);
	if (text === undefined) return {ok: false, error: `not valid UTF-8 at byte ${findInvalidUtf8(bytes)}`};
	// The line's own braces are one level more than the event's.
	if (exceedsDepth(text, MAX_JSON_DEPTH + 1))
		return {ok: false, error: `event nested deeper than ${MAX_JSON_DEPTH} levels`};
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '');
		return {
			ok: false,
			error: `not JSON at byte ${utf8Offset(text, position ? Number(position[1]) : jsonErrorOffset(text))}`,
		};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value))
		return {ok: false, error: 'not a {"mpm_spool":1,…} record'};
	if (!Object.hasOwn(value, 'mpm_spool') || (value as {mpm_spool: unknown}).mpm_spool !== 1)
		return {ok: false, error: 'not a {"mpm_spool":1,…} record'};
	if (!Object.hasOwn(value, 'event')) return {ok: false, error: 'spool line has no event'};
	const entry = value as {id?: unknown; receivedAt?: unknown; event: unknown};
	const meta: IngestMeta = {source: 'spool'};
	if (Object.hasOwn(entry, 'id')) {
		if (!isValidId(entry.id)) return {ok: false, error: `id must be ${ID_RULE}`};
		meta.id = entry.id;
	}
	if (Object.hasOwn(entry, 'receivedAt')) {
		if (!isEpochMs(entry.receivedAt))
			return {
				ok: false,
				error: `receivedAt must be a whole number of epoch milliseconds between 1 and ${MAX_EPOCH_MS}`,
			};
		meta.receivedAt = entry.receivedAt;
	}
	return {ok: true, text: eventText(text, entry) ?? JSON.stringify(entry.event), meta};
}

/** The event's own text when the line has the forwarders' layout, else undefined. */
function eventText(text: string, entry: object): string | undefined {
	const prefix = FORWARDER_LAYOUT.exec(text);
	if (!prefix) return undefined;
	const keys = Object.keys(entry);
	if (keys.length !== CONTRACT_KEYS.length || keys.some((key, i) => key !== CONTRACT_KEYS[i]))
		return undefined;
	let end = text.length;
	while (end > 0 && isJsonSpace(text.charCodeAt(end - 1))) end--;
	// The text parsed as an object whose last member is the event: what lies between `"event":` and the closing brace is that member's value.
	return text.slice(prefix[0].length, end - 1);
}
