/**
 * A claude-mpm monitor sends no `hello`; it emits bodies under its categories (`tool_event`,
 * `hook_event`, `session_event`, `claude_event`, `response_event`, …: core `MPM_CATEGORIES`)
 * instead. The mpm-tui client normalizes those (core `normalize`: the hook's own
 * `hook_event_name` names the event) and numbers them locally, so the TUI can show a claude-mpm
 * server's events too (no history: claude-mpm has none to give).
 */
import {MPM_CATEGORIES} from '../core/claude-mpm.js';
import {recordFromClaudeMpm} from './claude-mpm-body.js';
import type {ClientSocket} from './client-socket.js';
import type {ConnectionStatus} from './connection-status.js';
import type {SeqDelivery} from './seq-delivery.js';
import {serverText} from './server-text.js';

export interface ClaudeMpmEventDeps {
	socket: ClientSocket;
	status: ConnectionStatus;
	delivery: SeqDelivery;
	problem(message: string): void;
	isClosed(): boolean;
}

export function handleClaudeMpmEvents({
	socket,
	status,
	delivery,
	problem,
	isClosed,
}: ClaudeMpmEventDeps): void {
	let counter = 0;
	const fromClaudeMpm = (body: unknown) => {
		// An mpm-tui server never sends these to a client that said it is mpm-tui.
		if (status.server || isClosed()) return;
		const result = recordFromClaudeMpm(
			body,
			`mpm-${Date.now().toString(36)}-${(++counter).toString(36)}`,
			delivery.nextSeq(),
		);
		if (!result.ok) {
			problem(`skipped an event from the claude-mpm server (${serverText(result.error)})`);
			return;
		}
		delivery.deliverNumbered(result.record);
	};
	for (const name of MPM_CATEGORIES) socket.on(name, fromClaudeMpm);
}
