/**
 * Sessions view: one entry per Claude Code `session_id`, with a live state.
 * - working: after a prompt, the main agent's tool activity, or a first event from a subagent;
 * - waiting (for you): PermissionRequest (the immediate signal; the permission_prompt
 *   Notification that follows ~6 s later joins the same wait), Notification `permission_prompt`,
 *   `idle_prompt`, `elicitation_dialog`, `elicitation_url_dialog`, `agent_needs_input`, or an
 *   Elicitation. A PermissionRequest wait lasts until the end of the call it asked for or the
 *   next PreToolUse of the same agent (the end of a parallel call does not clear it); a
 *   Notification naming no agent, or an idle prompt, until any tool event; other waits until the
 *   same agent's next tool event. A prompt, Stop (for the main agent's waits), SubagentStop (for
 *   that agent's), `elicitation_complete` / `elicitation_response` / ElicitationResult (for a
 *   question), `agent_completed` (for that agent's) and the end of the session clear them too.
 *   Nothing reports an approval itself, so a call approved after its PreToolUse shows the
 *   session waiting until that call ends.
 * - background: the turn is over (Stop) but background work goes on: the Stop's running
 *   `background_tasks[]` (shells, subagents, monitors, …), less each subagent's task once its
 *   SubagentStop comes, plus what a SubagentStop lists as still running; a later Stop replaces
 *   the list. Without `background_tasks` (Claude Code before 2.1.145, claude-mpm) the subagents
 *   started and not stopped are the background work. A subagent's events do not make the
 *   session `working` again: its main agent is done.
 * - failed: StopFailure: the turn ended on an API error (`failure` says which, in words);
 * - idle: after Stop with nothing left running, or a SessionStart with nothing after it;
 * - ended: SessionEnd (a later SessionStart of the same id — resume — reopens it);
 * - stale: no event for `staleMs` (passed to the snapshot); `waiting` still tells whether it was
 *   waiting.
 * `errorCount` counts the session's errors as core/errors.ts defines them. Events without a
 * session id are not counted here.
 */
import type {EventRecord} from '../record.js';
import {apiErrorWords, isErrorEvent} from '../errors.js';
import {
	agentIdOf,
	agentKeyOf,
	agentTypeOf,
	cwdOf,
	inputKey,
	jsonText,
	obj,
	oneLine,
	sessionOf,
	str,
	toolInputOf,
	toolNameOf,
	toolUseIdOf,
} from './fields.js';
import {toolTarget} from './target.js';
import {
	newEntry,
	sessionRow,
	setBase,
	type Entry,
	type SessionEntry,
	type SessionState,
} from './session-entry.js';
import {addWait, clearWaitsOnTool, noteNotification} from './session-waits.js';
import {RecentSet} from '../recent-set.js';

export type {BackgroundTask, SessionCron} from './background.js';
export type {SessionEntry, SessionState, WaitReason} from './session-entry.js';

export interface SessionsOptions {
	staleMs?: number;
	maxSessions?: number;
	/** Without `background_tasks`, a subagent with no event for this long no longer counts as background work. Default 10 min. */
	agentTimeoutMs?: number;
}

/** StopFailure in words: `rate limited`, then its `error_details` when given. */
function failureText(payload: Record<string, unknown>): string {
	const words = apiErrorWords(payload.error);
	const details = payload.error_details;
	const text =
		typeof details === 'string'
			? details
			: obj(details) !== null
				? (str(obj(details)!.message) ?? jsonText(details))
				: null;
	return text !== null && text.trim() !== '' ? oneLine(`${words}: ${text}`, 300) : words;
}

const TOOL_EVENTS = new Set([
	'PreToolUse',
	'PostToolUse',
	'PostToolUseFailure',
	'PermissionDenied',
	'PostToolBatch',
]);
const SEEN_LIMIT = 50_000;
const STATE_RANK = new Map<SessionState, number>([
	['waiting', 0],
	['working', 1],
	['background', 1],
	['failed', 1],
	['idle', 1],
	['stale', 2],
	['ended', 3],
]);
export class SessionsView {
	readonly staleMs: number;
	readonly maxSessions: number;
	readonly agentTimeoutMs: number;
	private sessions = new Map<string, Entry>();
	private lastKey: string | null = null;
	private seenTools = new RecentSet(SEEN_LIMIT);

	constructor(options: SessionsOptions = {}) {
		this.staleMs = options.staleMs ?? 30 * 60_000;
		this.maxSessions = options.maxSessions ?? 1000;
		this.agentTimeoutMs = options.agentTimeoutMs ?? 10 * 60_000;
	}

	apply(rec: EventRecord, t: number): void {
		const id = sessionOf(rec);
		if (id === null) return;
		const s = this.entry(id, t);
		s.eventCount++;
		if (isErrorEvent(rec)) s.errorCount++;
		if (t > s.lastActivity) s.lastActivity = t;
		const cwd = cwdOf(rec);
		if (cwd !== null) s.cwd = cwd;
		const model = str(rec.payload.model) ?? str(obj(rec.payload.model)?.id);
		if (model !== null) s.model = model;
		const mode = str(rec.payload.permission_mode);
		if (mode !== null) s.permissionMode = mode;
		const agentId = agentIdOf(rec);
		if (agentId !== null && rec.type !== 'SubagentStop') s.work.onAgentActivity(agentId, agentTypeOf(rec), t);
		if (TOOL_EVENTS.has(rec.type)) {
			this.onTool(s, rec, t);
			return;
		}
		switch (rec.type) {
			case 'SessionStart':
				s.startedAt ??= t;
				s.source = str(rec.payload.source) ?? s.source;
				if (s.end !== null && t >= s.end) {
					s.end = null;
					s.endReason = null;
				}
				s.waits = [];
				s.work.clear();
				setBase(s, 'idle', t);
				break;
			case 'SessionEnd':
				s.end = t;
				s.endReason = str(rec.payload.reason);
				s.waits = [];
				s.work.clear();
				break;
			case 'UserPromptSubmit': {
				const prompt = str(rec.payload.prompt);
				s.promptCount++;
				if (prompt !== null) {
					s.firstPrompt ??= oneLine(prompt, 300);
					s.lastPrompt = oneLine(prompt, 300);
				}
				s.waits = [];
				setBase(s, 'working', t);
				break;
			}
			case 'PermissionRequest': {
				const tool = toolNameOf(rec);
				const input = toolInputOf(rec);
				const target = tool !== null ? toolTarget(tool, input, s.cwd) : '';
				addWait(s, {
					agent: agentKeyOf(rec),
					reason: 'permission',
					tool,
					key: inputKey(input),
					since: t,
					message: tool !== null ? `${tool}  ${target}`.trim() : null,
				});
				break;
			}
			case 'Notification':
				noteNotification(s, rec, t);
				break;
			case 'Elicitation':
				addWait(s, {
					agent: agentIdOf(rec),
					reason: 'input',
					tool: null,
					key: null,
					since: t,
					message: str(rec.payload.message),
				});
				break;
			case 'ElicitationResult':
				s.waits = s.waits.filter((w) => w.reason !== 'input' && w.reason !== 'url');
				break;
			case 'SubagentStart':
				this.subagentWorks(s, t);
				break;
			case 'SubagentStop': {
				s.waits = s.waits.filter((w) => w.agent !== agentId);
				if (agentId !== null) s.work.onSubagentStop(agentId, agentTypeOf(rec), rec.payload);
				break;
			}
			case 'StopFailure':
			case 'Stop':
				if (rec.type === 'StopFailure') {
					if (setBase(s, 'failed', t)) s.failure = failureText(rec.payload);
				} else setBase(s, 'idle', t);
				s.work.onStop(rec.payload, t);
				s.waits = s.waits.filter((w) => w.agent !== 'main' && w.agent !== null);
				break;
			default:
				break;
		}
	}

	/** Snapshot: waiting sessions first, then live ones (working, background, failed, idle), then stale, then ended; each by last activity (newest first). */
	snapshot(now: number, staleMs = this.staleMs): SessionEntry[] {
		const rows: SessionEntry[] = [];
		for (const s of this.sessions.values()) rows.push(sessionRow(s, now, staleMs, this.agentTimeoutMs));
		const rank = (r: SessionEntry) => STATE_RANK.get(r.state) ?? 1;
		return rows.sort((a, b) => rank(a) - rank(b) || b.lastActivity - a.lastActivity);
	}

	get size(): number {
		return this.sessions.size;
	}

	reset(): void {
		this.sessions.clear();
		this.seenTools.clear();
		this.lastKey = null;
	}

	private entry(id: string, t: number): Entry {
		let s = this.sessions.get(id);
		if (s === undefined) {
			s = newEntry(id, t);
			this.sessions.set(id, s);
			while (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
		} else if (this.lastKey !== id) {
			// Keep the map in least-recently-active order, so eviction drops the quietest session.
			this.sessions.delete(id);
			this.sessions.set(id, s);
		}
		this.lastKey = id;
		return s;
	}

	/** A subagent at work: the session is working only when nothing said otherwise yet (its main agent may be done). */
	private subagentWorks(s: Entry, t: number): void {
		if (s.baseAt === -Infinity) setBase(s, 'working', t);
	}

	private onTool(s: Entry, rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec);
		const isEnd = rec.type !== 'PreToolUse';
		if (rec.type === 'PostToolBatch') {
			// Fills in ends; tools were counted at their Pre.
		} else if (id === null ? !isEnd : !this.seenTools.has(id)) {
			s.toolCount++;
			if (id !== null) this.seenTools.add(id);
		}
		const agent = agentKeyOf(rec);
		if (agent === 'main') setBase(s, 'working', t);
		else this.subagentWorks(s, t);
		clearWaitsOnTool(s, rec, agent, isEnd);
	}
}
