/**
 * Sessions view: one entry per Claude Code `session_id`, with a live state.
 * - working: after a prompt, tool activity or a subagent start;
 * - waiting (for you): PermissionRequest, Notification `permission_prompt` / `idle_prompt` /
 *   `elicitation_dialog`, or an Elicitation. A PermissionRequest wait lasts until the end of the
 *   call it asked for or the next PreToolUse of the same agent (the end of a parallel call does
 *   not clear it); a Notification naming no agent, or an idle prompt, until any tool event;
 *   other waits until the same agent's next tool event. A prompt, Stop (for the main agent's
 *   waits), SubagentStop (for that agent's) and the end of the session clear them too.
 *   Nothing reports an approval itself, so a call approved after its PreToolUse shows the
 *   session waiting until that call ends.
 * - idle: after Stop / StopFailure, or a SessionStart with nothing after it;
 * - ended: SessionEnd (a later SessionStart of the same id — resume — reopens it);
 * - stale: no event for `staleMs` (passed to the snapshot); `waiting` still tells whether it was
 *   waiting.
 * Events without a session id are not counted here.
 */
import type {EventRecord} from '../record.js';
import {agentIdOf, agentKeyOf, cwdOf, inputKey, obj, oneLine, sessionOf, str, toolInputOf, toolNameOf, toolUseIdOf} from './fields.js';
import {toolTarget} from './target.js';
import {RecentSet} from './bounded.js';

export type SessionState = 'working' | 'waiting' | 'idle' | 'ended' | 'stale';
export type WaitReason = 'permission' | 'idle' | 'input';

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
}

export interface SessionsOptions {
	staleMs?: number;
	maxSessions?: number;
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

interface Entry extends Omit<SessionEntry, 'state' | 'waiting' | 'waitReason' | 'waitingSince' | 'waitMessage'> {
	base: 'working' | 'idle';
	/** Time of the event that set `base`: a late (older) event does not change it. */
	baseAt: number;
	waits: Wait[];
}

function setBase(s: Entry, base: Entry['base'], t: number): void {
	if (t < s.baseAt) return;
	s.base = base;
	s.baseAt = t;
}

const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionDenied', 'PostToolBatch']);
const SEEN_LIMIT = 50_000;
const MAX_WAITS = 50;
const STATE_RANK: Record<SessionState, number> = {waiting: 0, working: 1, idle: 1, stale: 2, ended: 3};

export class SessionsView {
	readonly staleMs: number;
	readonly maxSessions: number;
	private sessions = new Map<string, Entry>();
	private lastKey: string | null = null;
	private seenTools = new RecentSet(SEEN_LIMIT);

	constructor(options: SessionsOptions = {}) {
		this.staleMs = options.staleMs ?? 30 * 60_000;
		this.maxSessions = options.maxSessions ?? 1000;
	}

	apply(rec: EventRecord, t: number): void {
		const id = sessionOf(rec);
		if (id === null) return;
		const s = this.entry(id, t);
		s.eventCount++;
		if (t > s.lastActivity) s.lastActivity = t;
		const cwd = cwdOf(rec);
		if (cwd !== null) s.cwd = cwd;
		const model = str(rec.payload.model) ?? str(obj(rec.payload.model)?.id);
		if (model !== null) s.model = model;
		const mode = str(rec.payload.permission_mode);
		if (mode !== null) s.permissionMode = mode;
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
				setBase(s, 'idle', t);
				break;
			case 'SessionEnd':
				s.end = t;
				s.endReason = str(rec.payload.reason);
				s.waits = [];
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
				this.wait(s, {agent: agentKeyOf(rec), reason: 'permission', tool, key: inputKey(input), since: t, message: tool !== null ? `${tool}  ${target}`.trim() : null});
				break;
			}
			case 'Notification':
				this.onNotification(s, rec, t);
				break;
			case 'Elicitation':
				this.wait(s, {agent: agentIdOf(rec), reason: 'input', tool: null, key: null, since: t, message: str(rec.payload.message)});
				break;
			case 'ElicitationResult':
				s.waits = s.waits.filter(w => w.reason !== 'input');
				break;
			case 'SubagentStart':
				setBase(s, 'working', t);
				break;
			case 'SubagentStop': {
				const agent = agentIdOf(rec);
				s.waits = s.waits.filter(w => w.agent !== agent);
				break;
			}
			case 'StopFailure':
			case 'Stop':
				if (rec.type === 'StopFailure') s.errorCount++;
				setBase(s, 'idle', t);
				s.waits = s.waits.filter(w => w.agent !== 'main' && w.agent !== null);
				break;
			default:
				break;
		}
	}

	/** Snapshot: waiting sessions first, then live ones (working, idle), then stale, then ended; each by last activity (newest first). */
	snapshot(now: number, staleMs = this.staleMs): SessionEntry[] {
		const rows: SessionEntry[] = [];
		for (const s of this.sessions.values()) rows.push(this.row(s, now, staleMs));
		const rank = (r: SessionEntry) => STATE_RANK[r.state];
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
		const {base, baseAt: _baseAt, waits, ...rest} = s;
		const waiting = s.end === null && waits.length > 0;
		let state: SessionState;
		if (s.end !== null) state = 'ended';
		else if (now - s.lastActivity > staleMs) state = 'stale';
		else if (waiting) state = 'waiting';
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
		};
	}

	private entry(id: string, t: number): Entry {
		let s = this.sessions.get(id);
		if (s === undefined) {
			s = {
				id, cwd: null, model: null, permissionMode: null, source: null, start: t, startedAt: null, end: null, endReason: null,
				firstPrompt: null, lastPrompt: null, promptCount: 0, toolCount: 0, errorCount: 0, eventCount: 0, lastActivity: t,
				base: 'idle', baseAt: -Infinity, waits: [],
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

	private onTool(s: Entry, rec: EventRecord, t: number): void {
		const id = toolUseIdOf(rec);
		const isEnd = rec.type !== 'PreToolUse';
		if (rec.type === 'PostToolBatch') {
			// Fills in ends; tools were counted at their Pre.
		} else if (id === null ? !isEnd : !this.seenTools.has(id)) {
			s.toolCount++;
			if (id !== null) this.seenTools.add(id);
		}
		if ((rec.type === 'PostToolUseFailure' && rec.payload.is_interrupt !== true) || (rec.type === 'PostToolUse' && rec.payload.success === false)) {
			s.errorCount++;
		}
		setBase(s, 'working', t);
		if (s.waits.length === 0) return;
		const agent = agentKeyOf(rec);
		const tool = toolNameOf(rec);
		const key = isEnd && tool !== null ? inputKey(toolInputOf(rec)) : null;
		s.waits = s.waits.filter(w => {
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
		if (type === 'permission_prompt') {
			const open = s.waits.find(w => w.reason === 'permission');
			if (open !== undefined) open.message ??= text;
			else this.wait(s, {agent: agentIdOf(rec), reason: 'permission', tool: null, key: null, since: t, message: text});
		} else if (type === 'idle_prompt') {
			this.wait(s, {agent: 'main', reason: 'idle', tool: null, key: null, since: t, message: text});
		} else if (type === 'elicitation_dialog') {
			this.wait(s, {agent: agentIdOf(rec), reason: 'input', tool: null, key: null, since: t, message: text});
		}
	}

	private wait(s: Entry, w: Wait): void {
		s.waits.push(w);
		if (s.waits.length > MAX_WAITS) s.waits.shift();
	}
}
