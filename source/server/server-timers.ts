/** What the server sends on its own: `status` every second to mpm-tui clients, and claude-mpm's heartbeat. */
import {MPM_TUI_ROOM} from './broadcast.js';
import {sendHeartbeat, type SocketServer} from './sockets.js';
import type {ServerStats} from './types.js';

export function startPeriodicSends(
	io: SocketServer,
	stats: () => ServerStats,
	admitted: () => number,
	heartbeatMs = 30_000,
): () => void {
	const timers = [
		setInterval(() => {
			if ((io.sockets.adapter.rooms.get(MPM_TUI_ROOM)?.size ?? 0) > 0)
				io.to(MPM_TUI_ROOM).volatile.emit('status', stats());
		}, 1000),
		setInterval(() => sendHeartbeat(io, new Date().toISOString(), admitted()), heartbeatMs),
	];
	for (const timer of timers) timer.unref();
	return () => {
		for (const timer of timers) clearInterval(timer);
	};
}
