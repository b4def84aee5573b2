/**
 * The Events list's line for a telemetry record (`claude_code.*` log events, `otel.metrics`): what
 * matters in it — model, tokens, dollars, duration, outcome. Attribute values are read as numbers
 * whether they come as numbers or as numeric strings (telemetry sends both). Pure.
 */
import {quoted, toolLabel} from './text.js';

type Obj = Record<string, unknown>;

function own(payload: Obj, key: string): unknown {
	return Object.hasOwn(payload, key) ? payload[key] : undefined;
}

function str(payload: Obj, key: string): string | undefined {
	const value = own(payload, key);
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A finite number, from a number or a numeric string. */
export function numberOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '' && value.length <= 32) {
		const n = Number(value);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

function num(payload: Obj, key: string): number | undefined {
	return numberOf(own(payload, key));
}

function bool(payload: Obj, key: string): boolean | undefined {
	const value = own(payload, key);
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

/** `950`, `12.3k`, `4.5M`. */
export function formatCount(n: number): string {
	const abs = Math.abs(n);
	if (abs < 10_000) return String(Math.round(n));
	if (abs < 1_000_000) return `${(n / 1000).toFixed(abs < 100_000 ? 1 : 0)}k`;
	return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `$0.0123` below a dollar, `$1.23` above. */
export function formatUsd(n: number): string {
	return Math.abs(n) < 1 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** `340 ms`, `2.3 s`. */
export function formatMs(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function parts(...items: Array<string | undefined | false>): string {
	return items.filter((item): item is string => typeof item === 'string' && item !== '').join(' · ');
}

function line(head: string, ...items: Array<string | undefined | false>): string {
	const tail = parts(...items);
	return tail === '' ? head : `${head}  ${tail}`;
}

function tokens(payload: Obj, key: string, label: string): string | undefined {
	const n = num(payload, key);
	return n === undefined || n === 0 ? undefined : `${formatCount(n)} ${label}`;
}

function usd(payload: Obj, key: string): string | undefined {
	const n = num(payload, key);
	return n === undefined ? undefined : formatUsd(n);
}

function ms(payload: Obj, key: string): string | undefined {
	const n = num(payload, key);
	return n === undefined ? undefined : formatMs(n);
}

function apiRequest(payload: Obj): string {
	return line(
		'api',
		str(payload, 'model'),
		tokens(payload, 'input_tokens', 'in'),
		tokens(payload, 'output_tokens', 'out'),
		tokens(payload, 'cache_read_tokens', 'cache read'),
		tokens(payload, 'cache_creation_tokens', 'cache write'),
		usd(payload, 'cost_usd'),
		ms(payload, 'duration_ms'),
		str(payload, 'agent.name'),
	);
}

function apiError(payload: Obj): string {
	const status =
		str(payload, 'status_code') ??
		(num(payload, 'status_code') === undefined ? undefined : String(num(payload, 'status_code')));
	const attempt = num(payload, 'attempt');
	return line(
		'api error',
		str(payload, 'model'),
		status,
		str(payload, 'error'),
		attempt !== undefined && attempt > 1 && `attempt ${attempt}`,
		ms(payload, 'duration_ms'),
	);
}

function toolResult(payload: Obj): string {
	const tool = toolLabel(str(payload, 'tool_name') ?? 'tool');
	const ok = bool(payload, 'success');
	const outcome =
		ok === false
			? `failed${str(payload, 'error') ? `: ${str(payload, 'error')}` : ''}`
			: ok === true
				? 'ok'
				: undefined;
	const decision = str(payload, 'decision_type') ?? str(payload, 'decision');
	return line(`tool  ${tool}`, outcome, ms(payload, 'duration_ms'), decision);
}

function toolDecision(payload: Obj): string {
	const tool = toolLabel(str(payload, 'tool_name') ?? 'tool');
	const decision = str(payload, 'decision');
	const source = str(payload, 'source') ?? str(payload, 'decision_source');
	return line(
		`decision  ${tool}`,
		decision === undefined ? undefined : source === undefined ? decision : `${decision} (${source})`,
	);
}

function userPrompt(payload: Obj): string {
	const prompt = str(payload, 'prompt');
	if (prompt !== undefined && prompt !== '<REDACTED>') return `prompt  ${quoted(prompt, 160)}`;
	const length = num(payload, 'prompt_length');
	return line('prompt', length !== undefined && `${length} chars`);
}

function hookExecution(type: string, payload: Obj): string {
	const event = str(payload, 'hook_event') ?? str(payload, 'hook_event_name') ?? str(payload, 'hook_name');
	if (type.endsWith('_start'))
		return line(
			'hook start',
			event,
			num(payload, 'num_hooks') !== undefined && `${num(payload, 'num_hooks')} hooks`,
		);
	const okCount = num(payload, 'num_success');
	const errors = (num(payload, 'num_non_blocking_error') ?? 0) + (num(payload, 'num_blocking') ?? 0);
	return line(
		'hook',
		event,
		okCount !== undefined && `${okCount} ok`,
		errors > 0 && `${errors} error${errors === 1 ? '' : 's'}`,
		ms(payload, 'total_duration_ms'),
	);
}

function metrics(payload: Obj): string {
	const total = own(payload, 'total');
	const t = typeof total === 'object' && total !== null && !Array.isArray(total) ? (total as Obj) : {};
	const sessions = own(payload, 'sessions');
	const count = Array.isArray(sessions) ? sessions.length : 0;
	return line(
		'metrics',
		usd(t, 'cost_usd'),
		tokens(t, 'input', 'in'),
		tokens(t, 'output', 'out'),
		tokens(t, 'cacheRead', 'cache read'),
		tokens(t, 'cacheCreation', 'cache write'),
		count > 1 && `${count} sessions`,
	);
}

/** The summary of a telemetry record, or undefined when `type` is not one. */
export function otelSummary(type: string, payload: Obj): string | undefined {
	if (type === 'otel.metrics') return metrics(payload);
	if (!type.startsWith('claude_code.')) return undefined;
	const name = type.slice('claude_code.'.length);
	switch (name) {
		case 'api_request':
			return apiRequest(payload);
		case 'api_error':
			return apiError(payload);
		case 'tool_result':
			return toolResult(payload);
		case 'tool_decision':
			return toolDecision(payload);
		case 'user_prompt':
			return userPrompt(payload);
		case 'hook_execution_start':
		case 'hook_execution_complete':
			return hookExecution(name, payload);
		case 'compaction':
			return line(
				'compaction',
				tokens(payload, 'pre_tokens', 'before'),
				tokens(payload, 'post_tokens', 'after'),
			);
		case 'subagent_completed':
			return line(
				'subagent done',
				str(payload, 'agent_type'),
				str(payload, 'final_model'),
				num(payload, 'total_tool_uses') !== undefined && `${num(payload, 'total_tool_uses')} tools`,
				ms(payload, 'duration_ms'),
			);
		case 'assistant_response':
			return line('response', str(payload, 'model'), ms(payload, 'duration_ms'));
		default:
			return line(
				name,
				str(payload, 'model'),
				str(payload, 'tool_name'),
				usd(payload, 'cost_usd'),
				ms(payload, 'duration_ms'),
			);
	}
}
