/**
 * Tool calls view: pairs PreToolUse with PostToolUse / PostToolUseFailure / PermissionDenied by
 * `tool_use_id` (parallel calls and Post-before-Pre arrival included), fills missing ends from
 * PostToolBatch, ties a PermissionRequest (which names no `tool_use_id`) to the call it asks for,
 * and decides what became of calls that never end.
 *
 * A call's end decides its status with the one definition of an error (core/errors.ts): failed
 * (PostToolUseFailure, a PostToolUse that says it failed), denied (PermissionDenied),
 * interrupted (PostToolUseFailure with `is_interrupt`), else ok.
 *
 * A tool the user cancels fires no end, and an interrupted turn fires no Stop. So a running call
 * is interrupted when, with no end for it, its turn is over:
 * - Stop or StopFailure of its session (`stop`), or the session's next prompt (`prompt`): the
 *   running calls of the main agent. Subagents' calls are left alone (background agents go on after Stop);
 *   background Bash and Agent calls get their PostToolUse at launch, so they are never running.
 * - SubagentStop of the agent that ran it (`agent-stop`).
 * - SessionEnd of its session (`session-end`): every running call of that session.
 * A call with no end and no activity for `timeoutMs` (default 10 min) before `now` is lost. For an
 * Agent/Task call, activity includes its subagent's events (see `touch`), so a long-running
 * subagent is not timed out. An end that arrives later still wins: the call becomes ok / failed /
 * denied with its real duration.
 */
import type {EventRecord} from '../record.js';
import {errorKindOf, isUserInterrupt} from '../errors.js';
import {
	agentKeyOf,
	inputKey,
	jsonText,
	num,
	obj,
	oneLine,
	sessionOf,
	str,
	toolInputOf,
	toolNameOf,
	toolUseIdOf,
	type Json,
} from './fields.js';
import {trimMap} from './bounded.js';
import type {AgentTypes} from './agent-types.js';
import type {InterruptCause, ToolCall} from './tool-row.js';
import {PendingPermissions} from './pending-permissions.js';
import {
	callRow,
	fillCall,
	inputKeyOf,
	newCall,
	noteRecord,
	type Call,
	type Result,
} from './tool-call-state.js';

export type {InterruptCause, ToolCall, ToolStatus} from './tool-row.js';
export {sortToolCalls} from './tool-row.js';

export interface ToolsOptions {
	timeoutMs?: number;
	maxCalls?: number;
	/** Names a call's agent by type when the call's own records do not. */
	agentTypes?: AgentTypes;
}

function errorText(value: unknown): string | null {
	if (typeof value === 'string') return oneLine(value, 300);
	const o = obj(value);
	if (o !== null) return oneLine(str(o.message) ?? jsonText(o), 300);
	return null;
}

export class ToolsView {
	readonly timeoutMs: number;
	readonly maxCalls: number;
	private calls = new Map<string, Call>();
	private running = new Set<Call>();
	private unkeyed = new Map<string, Call[]>();
	private readonly pendingPermissions = new PendingPermissions();
	private order = 0;
	private sorted: Call[] | null = null;

	constructor(options: ToolsOptions = {}) {
		this.timeoutMs = options.timeoutMs ?? 10 * 60_000;
		this.maxCalls = options.maxCalls ?? 20_000;
		this.agentTypes = options.agentTypes ?? null;
	}

	private readonly agentTypes: AgentTypes | null;

	apply(rec: EventRecord, t: number): void {
		switch (rec.type) {
			case 'PreToolUse':
				this.onPre(rec, t);
				break;
			case 'PostToolUse': {
				const failed = errorKindOf(rec) !== null;
				this.onEnd(
					rec,
					t,
					failed ? 'failed' : 'ok',
					failed ? (errorText(rec.payload.error) ?? 'failed') : null,
				);
				break;
			}
			case 'PostToolUseFailure':
				this.onEnd(rec, t, isUserInterrupt(rec) ? 'interrupted' : 'failed', errorText(rec.payload.error));
				break;
			case 'PermissionDenied': {
				const reason = str(rec.payload.reason);
				this.onEnd(
					rec,
					t,
					'denied',
					`permission denied${reason !== null ? `: ${oneLine(reason, 200)}` : ''}`,
				);
				break;
			}
			case 'PermissionRequest':
				this.onPermission(rec);
				break;
			case 'PostToolBatch':
				this.onBatch(rec, t);
				break;
			case 'Stop':
			case 'StopFailure':
			case 'UserPromptSubmit':
				this.cut(
					t,
					rec.type === 'UserPromptSubmit' ? 'prompt' : 'stop',
					(c) => c.session === sessionOf(rec) && c.agent === 'main',
				);
				break;
			case 'SubagentStop': {
				const agent = agentKeyOf(rec);
				if (agent !== 'main')
					this.cut(t, 'agent-stop', (c) => c.session === sessionOf(rec) && c.agent === agent);
				break;
			}
			case 'SessionEnd':
				this.cut(t, 'session-end', (c) => c.session === sessionOf(rec));
				break;
			default:
				return;
		}
	}

	/** Notes activity for a call (used for an Agent call while its subagent works). */
	touch(id: string, t: number): void {
		const call = this.calls.get(id);
		if (call !== undefined && t > call.lastActivity) call.lastActivity = t;
	}

	/** Snapshot, newest first. Rows are shared between snapshots: treat them as read-only. */
	snapshot(now: number): ToolCall[] {
		if (this.sorted === null) {
			this.sorted = [...this.calls.values()].sort((a, b) => b.start - a.start || b.order - a.order);
		}
		return this.sorted.map((c) => this.row(c, now));
	}

	/** Whether `snapshot(now)` would show a running call (without building the rows). */
	hasRunning(now: number): boolean {
		for (const call of this.running) if (now - call.lastActivity <= this.timeoutMs) return true;
		return false;
	}

	get(id: string, now: number): ToolCall | null {
		const call = this.calls.get(id);
		return call === undefined ? null : this.row(call, now);
	}

	get size(): number {
		return this.calls.size;
	}

	reset(): void {
		this.calls.clear();
		this.running.clear();
		this.unkeyed.clear();
		this.pendingPermissions.clear();
		this.sorted = null;
	}

	private row(c: Call, now: number): ToolCall {
		if (c.cache !== null) return c.cache;
		const row = callRow(c, now, this.timeoutMs, this.agentTypes);
		if (c.result !== null || c.cutAt !== null) c.cache = row;
		return row;
	}

	private create(
		rec: EventRecord,
		t: number,
		toolUseId: string | null,
		tool: string,
		input: Json | null,
	): Call {
		const call = newCall(rec, t, this.order++, toolUseId, tool, input);
		this.calls.set(call.id, call);
		this.sorted = null;
		this.evict(t);
		return call;
	}

	private onPre(rec: EventRecord, t: number): void {
		const toolUseId = toolUseIdOf(rec);
		const tool = toolNameOf(rec) ?? '';
		const input = toolInputOf(rec);
		const existing = toolUseId !== null ? this.calls.get(toolUseId) : undefined;
		if (existing !== undefined) {
			fillCall(existing, rec, tool, input);
			if (!existing.startKnown) {
				existing.startKnown = true;
				existing.start = t;
				this.sorted = null;
			}
			return;
		}
		const call = this.create(rec, t, toolUseId, tool, input);
		call.startKnown = true;
		noteRecord(call, rec);
		this.running.add(call);
		if (toolUseId === null) {
			const key = `${call.session}\u0000${call.agent}\u0000${tool}`;
			const queue = this.unkeyed.get(key);
			if (queue === undefined) this.unkeyed.set(key, [call]);
			else queue.push(call);
		}
		this.pendingPermissions.claim(call, tool);
	}

	/** The call an end belongs to: by id; without one, the oldest open call of the same session, agent and tool (same input preferred). */
	private findOpen(
		rec: EventRecord,
		toolUseId: string | null,
		tool: string | null,
		input: Json | null,
	): Call | undefined {
		if (toolUseId !== null) return this.calls.get(toolUseId);
		const queue = this.unkeyed.get(`${sessionOf(rec)}\u0000${agentKeyOf(rec)}\u0000${tool ?? ''}`);
		if (queue === undefined) return undefined;
		while (queue.length > 0 && (queue[0].evicted || queue[0].result !== null)) queue.shift();
		if (queue.length === 0) return undefined;
		let i = 0;
		if (input !== null && queue.length > 1) {
			const key = inputKey(input);
			i = Math.max(
				0,
				queue.findIndex((c) => inputKeyOf(c) === key),
			);
		}
		return queue.splice(i, 1)[0];
	}

	private onEnd(rec: EventRecord, t: number, result: Result, error: string | null): void {
		const toolUseId = toolUseIdOf(rec);
		const tool = toolNameOf(rec);
		const input = toolInputOf(rec);
		const reported = num(rec.payload.duration_ms);
		let call = this.findOpen(rec, toolUseId, tool, input);
		if (call === undefined) {
			call = this.create(rec, t, toolUseId, tool ?? '', input);
			noteRecord(call, rec);
			if (reported !== null) call.start = t - reported;
		} else {
			fillCall(call, rec, tool, input);
			if (call.result !== null) return;
		}
		call.result = result;
		call.end = t;
		call.reportedMs = reported;
		call.error = error;
		call.cutAt = null;
		call.cause = result === 'interrupted' ? 'user' : null;
		if (str(obj(rec.payload.tool_response)?.status) === 'async_launched') call.background = true;
		if (t > call.lastActivity) call.lastActivity = t;
		this.running.delete(call);
	}

	private onBatch(rec: EventRecord, t: number): void {
		const list = rec.payload.tool_calls;
		if (!Array.isArray(list)) return;
		for (const item of list) {
			const entry = obj(item);
			const id = entry !== null ? str(entry.tool_use_id) : null;
			if (entry === null || id === null) continue;
			const tool = str(entry.tool_name);
			const input = obj(entry.tool_input);
			let call = this.calls.get(id);
			if (call === undefined) {
				call = this.create(rec, t, id, tool ?? '', input);
				noteRecord(call, rec);
			} else fillCall(call, rec, tool, input);
			if (call.result !== null) continue;
			call.result = 'ok';
			call.end = t;
			call.cutAt = null;
			call.cause = null;
			this.running.delete(call);
		}
	}

	private onPermission(rec: EventRecord): void {
		const tool = toolNameOf(rec);
		if (tool === null) return;
		const session = sessionOf(rec);
		const agent = agentKeyOf(rec);
		const key = inputKey(toolInputOf(rec));
		let best: Call | null = null;
		for (const call of this.running) {
			if (
				call.session !== session ||
				call.agent !== agent ||
				call.tool !== tool ||
				call.waited ||
				call.cutAt !== null
			)
				continue;
			if (inputKeyOf(call) !== key) continue;
			if (best === null || call.order > best.order) best = call;
		}
		if (best !== null) {
			best.waited = true;
			noteRecord(best, rec);
			return;
		}
		this.pendingPermissions.add(rec, session, agent, tool, key);
	}

	/** Calls that `match`, still running at `t` with no end, are interrupted by `cause` (until an end comes). */
	private cut(t: number, cause: InterruptCause, match: (c: Call) => boolean): void {
		for (const call of this.running) {
			if (call.start > t || !match(call)) continue;
			call.cutAt = t;
			call.cause = cause;
			call.cache = null;
			this.running.delete(call);
		}
	}

	/** Keeps at most `maxCalls` (trimmed to 90% when passed): the oldest finished (or timed-out) calls go first. */
	private evict(t: number): void {
		const removed = trimMap(
			this.calls,
			this.maxCalls,
			(c) => c.result !== null || c.cutAt !== null || t - c.lastActivity > this.timeoutMs,
		);
		for (const call of removed) {
			call.evicted = true;
			this.running.delete(call);
		}
	}
}
