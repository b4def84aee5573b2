/**
 * What a session of the sessions view (sessions.ts) waits for: the waits Notifications open and
 * clear, and the tool events that end them. Pure.
 */
import type {EventRecord} from '../record.js';
import {agentIdOf, inputKey, oneLine, str, toolInputOf, toolNameOf} from './fields.js';
import type {Entry, Wait} from './session-entry.js';

const MAX_WAITS = 50;

/** A new wait of the session (the last MAX_WAITS are kept). */
export function addWait(s: Entry, w: Wait): void {
	s.waits.push(w);
	if (s.waits.length > MAX_WAITS) s.waits.shift();
}

/** A Notification: the waits it opens (permission_prompt, idle_prompt, a question, agent_needs_input) or clears. */
export function noteNotification(s: Entry, rec: EventRecord, t: number): void {
	const type = str(rec.payload.notification_type);
	const message = str(rec.payload.message);
	const text = message !== null ? oneLine(message, 200) : null;
	const agent = agentIdOf(rec);
	switch (type) {
		case 'permission_prompt': {
			// PermissionRequest is the immediate signal; this one comes ~6 s later for the same wait.
			const open = s.waits.find((w) => w.reason === 'permission');
			if (open !== undefined) open.message ??= text;
			else addWait(s, {agent, reason: 'permission', tool: null, key: null, since: t, message: text});
			break;
		}
		case 'idle_prompt':
			addWait(s, {agent: 'main', reason: 'idle', tool: null, key: null, since: t, message: text});
			break;
		case 'elicitation_dialog':
			addWait(s, {agent, reason: 'input', tool: null, key: null, since: t, message: text});
			break;
		case 'elicitation_url_dialog':
			addWait(s, {agent, reason: 'url', tool: null, key: null, since: t, message: text});
			break;
		case 'elicitation_complete':
		case 'elicitation_response':
			s.waits = s.waits.filter((w) => w.reason !== 'input' && w.reason !== 'url');
			break;
		case 'agent_needs_input':
			addWait(s, {agent, reason: 'agent', tool: null, key: null, since: t, message: text});
			break;
		case 'agent_completed':
			s.waits = s.waits.filter((w) => w.reason !== 'agent' || (agent !== null && w.agent !== agent));
			break;
		default:
			break;
	}
}

/**
 * A tool event of `agent` (`isEnd`: not a PreToolUse): a permission wait ends with its own call's
 * end or the agent's next PreToolUse; a wait naming no agent, or an idle prompt, with any tool
 * event; other waits with the same agent's next tool event.
 */
export function clearWaitsOnTool(s: Entry, rec: EventRecord, agent: string, isEnd: boolean): void {
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
