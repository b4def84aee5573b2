/**
 * Reading the fields the views need from an `EventRecord`, with fallbacks to the payload
 * (claude-mpm envelopes and older Claude Code versions do not always fill every record field).
 */
import type {EventRecord} from '../record.js';
import {LINE_BREAK_MARK, oneLine as oneLineText} from '../text.js';

export type Json = Record<string, unknown>;

/** The key of the main agent in `agent` columns. */
export const MAIN_AGENT = 'main';

export function str(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function obj(value: unknown): Json | null {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function toolNameOf(rec: EventRecord): string | null {
	return str(rec.tool) ?? str(rec.payload.tool_name);
}

export function toolUseIdOf(rec: EventRecord): string | null {
	return str(rec.toolUseId) ?? str(rec.payload.tool_use_id);
}

/** `tool_input`, or claude-mpm's `tool_parameters`. */
export function toolInputOf(rec: EventRecord): Json | null {
	return obj(rec.payload.tool_input) ?? obj(rec.payload.tool_parameters);
}

export function agentIdOf(rec: EventRecord): string | null {
	return str(rec.agentId) ?? str(rec.payload.agent_id);
}

export function agentTypeOf(rec: EventRecord): string | null {
	return str(rec.agentType) ?? str(rec.payload.agent_type);
}

/** The agent that produced the event: its `agent_id`, else `main`. */
export function agentKeyOf(rec: EventRecord): string {
	return agentIdOf(rec) ?? MAIN_AGENT;
}

export function sessionOf(rec: EventRecord): string | null {
	return str(rec.session) ?? str(rec.payload.session_id);
}

export function cwdOf(rec: EventRecord): string | null {
	return str(rec.cwd) ?? str(rec.payload.cwd);
}

/** A stable text key for a tool input, to match a PermissionRequest (no tool_use_id) to its call. */
export function inputKey(input: Json | null): string {
	return input === null ? '' : stableJson(input, 0);
}

function stableJson(value: unknown, depth: number): string {
	if (depth > 20) return '…';
	if (Array.isArray(value)) return `[${value.map((v) => stableJson(v, depth + 1)).join(',')}]`;
	const o = obj(value);
	if (o !== null) {
		return `{${Object.keys(o)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${stableJson(o[k], depth + 1)}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * JSON text of a payload value for a one-line display. Payloads come from outside: one nested
 * deeper than JSON.stringify's stack allows gives `…` instead of an exception.
 */
export function jsonText(value: unknown): string {
	try {
		return JSON.stringify(value) ?? 'null';
	} catch {
		return '…';
	}
}

/** One line for a view: line breaks shown as ` ⏎ `, at most `max` code units (core/text.ts). */
export function oneLine(text: string, max = 200): string {
	return oneLineText(text, max, LINE_BREAK_MARK);
}
