/**
 * The TUI's client for a claude-mpm monitor: listens for every category its server emits events
 * under (`claude_event`, `hook_event`, `tool_event`, `session_event`, `response_event`, … — the
 * list its own dashboard listens to, core `MPM_CATEGORIES`), turns each body into a record with
 * the shared normalizer (the hook's own `hook_event_name` names it, whatever category claude-mpm
 * filed it under), and numbers them locally. claude-mpm has no history by seq, so a reconnect
 * shows what happens from then on.
 */
import {io} from 'socket.io-client';
import {isAuthRefusal} from '../../client/auth-refusal.js';
import {recordFromClaudeMpm} from '../../client/claude-mpm-body.js';
import {
	serverText,
	type ClientSocket,
	type Connection,
	type ConnectionHandlers,
} from '../../client/connection.js';
import {MPM_CATEGORIES} from '../../core/claude-mpm.js';

export const CLAUDE_MPM_EVENTS = MPM_CATEGORIES;

export function openClaudeMpmConnection(
	options: {url: string; token?: string},
	handlers: ConnectionHandlers,
): Connection {
	let seq = 0;
	let attempt = 0;
	let closed = false;
	const socket: ClientSocket = io(options.url, {
		transports: ['websocket', 'polling'],
		auth: options.token ? {token: options.token} : {},
		reconnectionDelay: 500,
		reconnectionDelayMax: 5000,
	});
	handlers.onState({status: 'connecting', attempt});
	socket.on('connect', () => {
		attempt = 0;
		handlers.onState({status: 'connected', attempt});
	});
	socket.on('disconnect', () => {
		if (!closed) handlers.onState({status: 'reconnecting', attempt});
	});
	socket.io.on('reconnect_attempt', (n) => {
		attempt = n;
		handlers.onState({status: 'reconnecting', attempt});
	});
	socket.on('connect_error', (error) => {
		if (isAuthRefusal(error))
			handlers.onState({status: 'unauthorized', attempt, error: serverText(error?.message)});
	});
	for (const name of CLAUDE_MPM_EVENTS) {
		socket.on(name, (body: unknown) => {
			const result = recordFromClaudeMpm(body, `mpm-${Date.now().toString(36)}-${seq + 1}`, seq + 1);
			if (!result.ok) {
				handlers.onProblem?.(`skipped an event from the claude-mpm server (${serverText(result.error)})`);
				return;
			}
			seq = result.record.seq;
			handlers.onEvents([result.record], false);
		});
	}
	return {
		close() {
			closed = true;
			socket.close();
			handlers.onState({status: 'closed', attempt});
		},
		lastSeq: () => seq,
	};
}
