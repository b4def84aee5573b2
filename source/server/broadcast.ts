/**
 * Sends accepted records to Socket.IO clients in batches. mpm-tui clients (room `mpm-tui`) get
 * one `events` array per flush. A batch accepted when no flush happened in the last `gapMs` is
 * sent at once, in its own frame: at the rates Claude Code produces, each event reaches the
 * clients as soon as it is accepted. Batches accepted within `gapMs` of the last flush wait for
 * the end of that gap and go together, so under load there is at most one flush per `gapMs`
 * (or one at once when `maxBatch` records are queued) and a burst costs one encode and one frame
 * per client, never one per event.
 * claude-mpm clients (room `claude-mpm`, and the category namespaces) get claude-mpm's shape: one
 * emit per event, as its dashboard expects; that work is only done when such clients are there.
 *
 * The `events` packet is made from the batch's NDJSON bytes, which the journal and stdout write
 * anyway (see events-packet.ts): `2["events",[line,line,…]]` is exactly what socket.io's encoder
 * would produce for `emit('events', records)` on the default namespace, without serializing the
 * records again, without its deep scan for binary attachments and, for WebSocket clients, without
 * encoding the text to UTF-8 again: they get one pre-built frame, as socket.io's own broadcasts do.
 * That frame goes through an engine.io option it does not declare; when the start-up check finds
 * it not honoured (`preEncodedFramesWork`), `events` are emitted through socket.io's own encoder.
 */
import type {Namespace, Server, Socket} from 'socket.io';
import {toMpmEmit} from '../core/claude-mpm.js';
import type {EventRecord} from '../core/record.js';
import type {CategoryNamespaceEvents, ClientToServerEvents, ServerToClientEvents} from '../core/wire.js';
import type {AcceptedBatch} from './accepted-batch.js';
import {
	eventsPacketText,
	eventsPayload,
	packetRanges,
	preEncodedFramesWork,
	takesPreEncodedFrames,
	webSocketTextFrame,
} from './events-packet.js';

/** engine.io's write options; `wsPreEncodedFrame` is one it reads but does not declare. */
type FrameOptions = Parameters<Socket['conn']['write']>[1];
type SocketServer = Server<ClientToServerEvents, ServerToClientEvents>;
/** A category namespace, whose events are named by the event's subtype (any name). */
type CategoryNamespace = Namespace<ClientToServerEvents, CategoryNamespaceEvents>;

export const MPM_TUI_ROOM = 'mpm-tui';
export const CLAUDE_MPM_ROOM = 'claude-mpm';
export const CATEGORY_NAMESPACES = ['/hook', '/session', '/agent', '/todo', '/system', '/log'] as const;

export interface BroadcastOptions {
	/** Least time between two flushes; a batch arriving later than that after the last flush goes at once. */
	gapMs?: number;
	maxBatch?: number;
	now?: () => number;
	/** Send `events` as packets made from the NDJSON bytes (default: when engine.io honours pre-encoded frames); false: socket.io's own encoder. */
	preEncodedFrames?: boolean;
	/** Told of a flush that failed from the timer (from `push`, the caller's own try/catch tells it). */
	log?: (line: string) => void;
}

/** The default `gapMs`: short enough that waiting for it is a small part of POST → client latency, long enough that a stream is sent in a few hundred frames a second at most. */
export const BROADCAST_GAP_MS = 2;

export class Broadcaster {
	private readonly io: SocketServer;
	private readonly gapMs: number;
	private readonly maxBatch: number;
	private readonly now: () => number;
	private readonly log: (line: string) => void;
	/** Whether `events` are made from the NDJSON bytes (else by socket.io's encoder). */
	readonly preEncodedFrames: boolean;
	private queue: AcceptedBatch[] = [];
	private queued = 0;
	private timer: NodeJS.Timeout | undefined;
	private lastFlush = Number.NEGATIVE_INFINITY;
	/** Packets sent to mpm-tui clients (one per flush, or one per `maxBatch` records of a flush). */
	emits = 0;

	constructor(io: SocketServer, options: BroadcastOptions = {}) {
		this.io = io;
		this.gapMs = options.gapMs ?? BROADCAST_GAP_MS;
		this.maxBatch = options.maxBatch ?? 500;
		this.now = options.now ?? Date.now;
		this.log = options.log ?? (() => {});
		this.preEncodedFrames = options.preEncodedFrames ?? preEncodedFramesWork();
	}

	/** Queues an accepted batch; its bytes are only made when mpm-tui clients are there. */
	push(batch: AcceptedBatch): void {
		this.queue.push(batch);
		this.queued += batch.records.length;
		if (this.queued >= this.maxBatch) {
			this.flush();
			return;
		}
		if (this.timer) return;
		const wait = this.lastFlush + this.gapMs - this.now();
		if (wait <= 0) this.flush();
		else this.timer = setTimeout(() => this.flushFromTimer(), wait);
	}

	/** A throw in a timer would end the process: the flush's records are lost to clients, the server goes on. */
	private flushFromTimer(): void {
		try {
			this.flush();
		} catch (error) {
			this.log(
				`internal error while broadcasting: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
			);
		}
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		if (this.queued === 0) return;
		const batches = this.queue;
		this.queue = [];
		this.queued = 0;
		this.lastFlush = this.now();
		const records = batches.length === 1 ? batches[0].records : batches.flatMap((b) => b.records);
		if (this.roomSize(MPM_TUI_ROOM) > 0) {
			if (this.preEncodedFrames) this.sendToMpmTui(batches);
			else this.emitToMpmTui(records);
		}
		this.sendToClaudeMpm(records);
	}

	private roomSize(room: string): number {
		return this.io.sockets.adapter.rooms.get(room)?.size ?? 0;
	}

	/** One packet per `maxBatch` records; per packet one frame for all WebSocket clients, one text for the others. */
	private sendToMpmTui(batches: AcceptedBatch[]): void {
		const ids = this.io.sockets.adapter.rooms.get(MPM_TUI_ROOM);
		if (!ids) return;
		const sockets: Socket<ClientToServerEvents, ServerToClientEvents>[] = [];
		for (const id of ids) {
			const socket = this.io.sockets.sockets.get(id);
			if (socket?.connected) sockets.push(socket);
		}
		if (sockets.length === 0) return;
		const ndjson = batches.length === 1 ? batches[0].ndjson() : Buffer.concat(batches.map((b) => b.ndjson()));
		for (const [start, end] of packetRanges(ndjson, this.maxBatch)) {
			const payload = eventsPayload(ndjson, start, end);
			let frame: Buffer[] | undefined;
			let text: string | undefined;
			for (const socket of sockets) {
				// engine.io writes a pre-encoded frame as is on a WebSocket; the text is for the other transports.
				if (takesPreEncodedFrames(socket.conn))
					socket.conn.write('', {wsPreEncodedFrame: (frame ??= webSocketTextFrame(payload))} as FrameOptions);
				else socket.conn.write((text ??= eventsPacketText(payload)));
			}
			this.emits++;
		}
	}

	/** The same packets through socket.io's own encoder: one emit per `maxBatch` records. */
	private emitToMpmTui(records: readonly EventRecord[]): void {
		for (let start = 0; start < records.length; start += this.maxBatch) {
			// `local`: each instance of a team sends its own clients the events it reads (docs/team.md), never through the adapter.
			this.io.local.to(MPM_TUI_ROOM).emit('events', records.slice(start, start + this.maxBatch));
			this.emits++;
		}
	}

	private sendToClaudeMpm(batch: readonly EventRecord[]): void {
		const direct = this.roomSize(CLAUDE_MPM_ROOM) > 0;
		const namespaces = new Map<string, CategoryNamespace>();
		for (const name of CATEGORY_NAMESPACES) {
			const nsp = this.io._nsps.get(name);
			// Typed for the names its events have there: any (the server's own map names `/`'s events).
			if (nsp && nsp.sockets.size > 0) namespaces.set(name, nsp as unknown as CategoryNamespace);
		}
		if (!direct && namespaces.size === 0) return;
		for (const record of batch) {
			const mpm = toMpmEmit(record);
			if (direct) this.io.local.to(CLAUDE_MPM_ROOM).emit(mpm.event, mpm.body);
			if (mpm.namespaceEvent !== null)
				namespaces.get(mpm.namespace)?.local.emit(mpm.namespaceEvent, mpm.body);
		}
	}

	close(): void {
		this.flush();
	}
}
