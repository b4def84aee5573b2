/**
 * Sends accepted records to Socket.IO clients in batches. mpm-tui clients (room `mpm-tui`) get
 * one `events` array per flush — at most one flush every `intervalMs`, or at once when `maxBatch`
 * records are queued — so a burst costs one encode and one frame per client, never one per event.
 * claude-mpm clients (room `claude-mpm`, and the category namespaces) get claude-mpm's shape: one
 * emit per event, as its dashboard expects; that work is only done when such clients are there.
 *
 * The `events` packet is assembled from the records' JSON lines, which the pipeline makes once per
 * batch for the journal and stdout anyway: `2["events",[line,line,…]]` is exactly what socket.io's
 * encoder would produce for `emit('events', records)` on the default namespace, without
 * serializing every record a second time and without its deep scan for binary attachments.
 */
import type {Namespace, Server} from 'socket.io';
import type {EventRecord} from '../core/record.js';
import {toMpmEmit} from '../core/claude-mpm.js';

export const MPM_TUI_ROOM = 'mpm-tui';
export const CLAUDE_MPM_ROOM = 'claude-mpm';
export const CATEGORY_NAMESPACES = ['/hook', '/session', '/agent', '/todo', '/system', '/log'] as const;

export interface BroadcastOptions {
	intervalMs?: number;
	maxBatch?: number;
	now?: () => number;
}

export class Broadcaster {
	private readonly io: Server;
	private readonly intervalMs: number;
	private readonly maxBatch: number;
	private readonly now: () => number;
	private queue: Array<{records: EventRecord[]; lines: () => string[]}> = [];
	private queued = 0;
	private timer: NodeJS.Timeout | undefined;
	private lastFlush = 0;
	emits = 0;

	constructor(io: Server, options: BroadcastOptions = {}) {
		this.io = io;
		this.intervalMs = options.intervalMs ?? 20;
		this.maxBatch = options.maxBatch ?? 500;
		this.now = options.now ?? Date.now;
	}

	/** Queues accepted records; `lines()` (their JSON, memoized by the caller) is only called when mpm-tui clients are there. */
	push(records: EventRecord[], lines: () => string[] = () => records.map(r => JSON.stringify(r))): void {
		this.queue.push({records, lines});
		this.queued += records.length;
		if (this.queued >= this.maxBatch) {
			this.flush();
			return;
		}
		if (this.timer) return;
		const wait = Math.max(0, this.lastFlush + this.intervalMs - this.now());
		this.timer = setTimeout(() => this.flush(), wait);
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.queued === 0) return;
		const chunks = this.queue;
		this.queue = [];
		this.queued = 0;
		this.lastFlush = this.now();
		if (this.roomSize(MPM_TUI_ROOM) > 0) {
			const lines = chunks.length === 1 ? chunks[0].lines() : chunks.flatMap(c => c.lines());
			for (let i = 0; i < lines.length; i += this.maxBatch) {
				this.sendToMpmTui(lines.length <= this.maxBatch ? lines : lines.slice(i, i + this.maxBatch));
			}
		}
		this.sendToClaudeMpm(chunks.length === 1 ? chunks[0].records : chunks.flatMap(c => c.records));
	}

	private roomSize(room: string): number {
		return this.io.sockets.adapter.rooms.get(room)?.size ?? 0;
	}

	private sendToMpmTui(lines: string[]): void {
		const ids = this.io.sockets.adapter.rooms.get(MPM_TUI_ROOM);
		if (!ids) return;
		const packet = `2["events",[${lines.join(',')}]]`;
		for (const id of ids) {
			const socket = this.io.sockets.sockets.get(id);
			if (socket?.connected) socket.conn.write(packet);
		}
		this.emits++;
	}

	private sendToClaudeMpm(batch: EventRecord[]): void {
		const direct = this.roomSize(CLAUDE_MPM_ROOM) > 0;
		const namespaces = new Map<string, Namespace>();
		for (const name of CATEGORY_NAMESPACES) {
			const nsp = this.io._nsps.get(name);
			if (nsp && nsp.sockets.size > 0) namespaces.set(name, nsp);
		}
		if (!direct && namespaces.size === 0) return;
		for (const record of batch) {
			const mpm = toMpmEmit(record);
			if (direct) this.io.to(CLAUDE_MPM_ROOM).emit(mpm.event, mpm.body);
			const name = mpm.namespace;
			namespaces.get(name)?.emit(mpm.namespaceEvent, mpm.body);
		}
	}

	close(): void {
		this.flush();
	}
}
