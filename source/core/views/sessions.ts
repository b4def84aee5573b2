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
import {BackgroundWork, type BackgroundTask, type SessionCron} from './background.js';
import {RecentSet} from '../recent-set.js';

export type {BackgroundTask, SessionCron} from './background.js';

export type SessionState = 'working' | 'waiting' | 'background' | 'failed' | 'idle' | 'ended' | 'stale';
/**
 * permission: a PermissionRequest or permission_prompt · idle: idle_prompt (waiting for your next
 * prompt) · input: a question (elicitation_dialog, Elicitation) · url: elicitation_url_dialog ·
 * agent: agent_needs_input (a subagent asks).
 */
export type WaitReason = 'permission' | 'idle' | 'input' | 'url' | 'agent';

export interface SessionEntry {
	id: string;
	cwd: string | null;
	model: string | null;
	permissionMode: string | null;
	/** SessionStart `source` (startup, resume, clear, compact, fork). */
	source: string | null;
	/** First event seen (the SessionStart time when it was seen first). */
	start: number;
	startedAt: number | null;
	end: number | null;
	endReason: string | null;
	firstPrompt: string | null;
	lastPrompt: string | null;
	promptCount: number;
	toolCount: number;
	/** Events of the session that are errors (core/errors.ts). */
	errorCount: number;
	eventCount: number;
	lastActivity: number;
	state: SessionState;
	waiting: boolean;
	waitReason: WaitReason | null;
	/** Since when it has been waiting (the oldest open wait). */
	waitingSince: number | null;
	/** What it is waiting for, e.g. `Bash  rm -rf build` or the notification message. */
	waitMessage: string | null;
	/** What runs in the background (empty unless the state is `background`). */
	background: readonly BackgroundTask[];
	/** Prompts scheduled in the session (`session_crons[]` of its latest Stop). */
	crons: readonly SessionCron[];
	/** While `failed`: StopFailure's error in words (`rate limited`, `billing error`, …) and its details. */
	failure: string | null;
}

export interface SessionsOptions {
	staleMs?: number;
	maxSessions?: number;
	/** Without `background_tasks`, a subagent with no event for this long no longer counts as background work. Default 10 min. */
	agentTimeoutMs?: number;
}

interface Wait {
	/** The agent that waits (`main` or an id); null when unknown (a Notification naming no agent). */
	agent: string | null;
	reason: WaitReason;
	tool: string | null;
	key: string | null;
	since: number;
	message: string | null;
}

type Derived =
	'state' | 'waiting' | 'waitReason' | 'waitingSince' | 'waitMessage' | 'background' | 'crons' | 'failure';

interface Entry extends Omit<SessionEntry, Derived> {
	base: 'working' | 'idle' | 'failed';
	/** Time of the event that set `base`: a late (older) event does not change it. */
	baseAt: number;
	failure: string | null;
	waits: Wait[];
	work: BackgroundWork;
}

function setBase(s: Entry, base: Entry['base'], t: number): boolean {
	if (t < s.baseAt) return false;
	s.base = base;
	s.baseAt = t;
	return true;
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
const MAX_WAITS = 50;
const STATE_RANK = new Map<SessionState, number>([
	['waiting', 0],
	['working', 1],
	['background', 1],
	['failed', 1],
	['idle', 1],
	['stale', 2],
	['ended', 3],
]);
const NO_TASKS: readonly BackgroundTask[] = [];

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
				this.wait(s, {
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
				this.onNotification(s, rec, t);
				break;
			case 'Elicitation':
				this.wait(s, {
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
		for (const s of this.sessions.values()) rows.push(this.row(s, now, staleMs));
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

	private row(s: Entry, now: number, staleMs: number): SessionEntry {
		const {base, baseAt: _baseAt, waits, work, failure, ...rest} = s;
		const waiting = s.end === null && waits.length > 0;
		const tasks = s.end === null && base === 'idle' ? work.tasks(now, this.agentTimeoutMs) : NO_TASKS;
		let state: SessionState;
		if (s.end !== null) state = 'ended';
		else if (now - s.lastActivity > staleMs) state = 'stale';
		else if (waiting) state = 'waiting';
		else if (tasks.length > 0) state = 'background';
		else state = base;
		const first = waiting ? waits[0] : null;
		const latest = waiting ? waits[waits.length - 1] : null;
		return {
			...rest,
			state,
			waiting,
			waitReason: latest?.reason ?? null,
			waitingSince: first?.since ?? null,
			waitMessage: latest?.message ?? null,
			background: state === 'background' ? tasks : NO_TASKS,
			crons: work.crons,
			failure: base === 'failed' ? failure : null,
		};
	}

	private entry(id: string, t: number): Entry {
		let s = this.sessions.get(id);
		if (s === undefined) {
			s = {
				id,
				cwd: null,
				model: null,
				permissionMode: null,
				source: null,
				start: t,
				startedAt: null,
				end: null,
				endReason: null,
				firstPrompt: null,
				lastPrompt: null,
				promptCount: 0,
				toolCount: 0,
				errorCount: 0,
				eventCount: 0,
				lastActivity: t,
				base: 'idle',
				baseAt: -Infinity,
				failure: null,
				waits: [],
				work: new BackgroundWork(),
			};
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
		if (s.waits.length === 0) return;
		const tool = toolNameOf(rec);
		const key = isEnd && tool !== null ? inputKey(toolInputOf(rec)) : null;
		s.waits = s.waits.filter((w) => {
			if (w.reason === 'idle' || w.agent === null) return false;
			if (w.tool === null) return w.agent !== agent;
			// A permission for a known call: its own end, or a new call of the same agent, resolves it.
			if (key !== null && w.tool === tool && w.key === key) return false;
			return !(rec.type === 'PreToolUse' && w.agent === agent);
		});
	}

	private onNotification(s: Entry, rec: EventRecord, t: number): void {
		const type = str(rec.payload.notification_type);
		const message = str(rec.payload.message);
		const text = message !== null ? oneLine(message, 200) : null;
		const agent = agentIdOf(rec);
		switch (type) {
			case 'permission_prompt': {
				// PermissionRequest is the immediate signal; this one comes ~6 s later for the same wait.
				const open = s.waits.find((w) => w.reason === 'permission');
				if (open !== undefined) open.message ??= text;
				else this.wait(s, {agent, reason: 'permission', tool: null, key: null, since: t, message: text});
				break;
			}
			case 'idle_prompt':
				this.wait(s, {agent: 'main', reason: 'idle', tool: null, key: null, since: t, message: text});
				break;
			case 'elicitation_dialog':
				this.wait(s, {agent, reason: 'input', tool: null, key: null, since: t, message: text});
				break;
			case 'elicitation_url_dialog':
				this.wait(s, {agent, reason: 'url', tool: null, key: null, since: t, message: text});
				break;
			case 'elicitation_complete':
			case 'elicitation_response':
				s.waits = s.waits.filter((w) => w.reason !== 'input' && w.reason !== 'url');
				break;
			case 'agent_needs_input':
				this.wait(s, {agent, reason: 'agent', tool: null, key: null, since: t, message: text});
				break;
			case 'agent_completed':
				s.waits = s.waits.filter((w) => w.reason !== 'agent' || (agent !== null && w.agent !== agent));
				break;
			default:
				break;
		}
	}

	private wait(s: Entry, w: Wait): void {
		s.waits.push(w);
		if (s.waits.length > MAX_WAITS) s.waits.shift();
	}
}
