/**
 * Shapes that cross the wire between the server and its clients (types only): the `GET /health`
 * answer, the Socket.IO `hello` a client gets on connect, and the `status` / `GET /stats` figures.
 * They live in core so that both `source/server` and `source/client` can use them.
 */

/** `GET /health` of an mpm-tui server. */
export interface HealthInfo {
	status: 'ok';
	service: 'mpm-tui';
	version: string;
	pid: number;
	uptime: number;
	port: number;
}

/** Socket.IO `hello`, sent to an mpm-tui client on connect. */
export interface HelloInfo {
	service: 'mpm-tui';
	version: string;
	lastSeq: number;
	firstSeq: number;
	serverTime: string;
}

/** Socket.IO `status` and `GET /stats`. */
export interface ServerStats {
	events: {total: number; ratePerMinute: number; lastSeq: number; firstSeq: number};
	buffer: {used: number; capacity: number};
	duplicates: number;
	rejected: number;
	clients: {mpmTui: number; claudeMpm: number; total: number};
	journal: {path: string | null; bytes: number; replayed: number; skipped: number; error?: string};
	spool: {path: string; backlogBytes: number; drained: number; droppedByForwarder: number};
	uptime: number;
	pid: number;
	version: string;
}
