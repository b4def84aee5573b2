/**
 * A session as the sessions view (sessions.ts) holds it, and the row it shows: the state is
 * derived at snapshot time from the base state, the open waits, the background work and the
 * time. Pure.
 */
import {BackgroundWork, type BackgroundTask, type SessionCron} from './background.js';

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

export interface Wait {
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

export interface Entry extends Omit<SessionEntry, Derived> {
	base: 'working' | 'idle' | 'failed';
	/** Time of the event that set `base`: a late (older) event does not change it. */
	baseAt: number;
	failure: string | null;
	waits: Wait[];
	work: BackgroundWork;
}

const NO_TASKS: readonly BackgroundTask[] = [];

/** A session first seen at `t`. */
export function newEntry(id: string, t: number): Entry {
	return {
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
}

/** Sets the base state, unless an event later than `t` set it; true when set. */
export function setBase(s: Entry, base: Entry['base'], t: number): boolean {
	if (t < s.baseAt) return false;
	s.base = base;
	s.baseAt = t;
	return true;
}

/** The session's row at `now`: its state derived from what is held. */
export function sessionRow(s: Entry, now: number, staleMs: number, agentTimeoutMs: number): SessionEntry {
	const {base, baseAt: _baseAt, waits, work, failure, ...rest} = s;
	const waiting = s.end === null && waits.length > 0;
	const tasks = s.end === null && base === 'idle' ? work.tasks(now, agentTimeoutMs) : NO_TASKS;
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
