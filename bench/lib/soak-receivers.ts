/**
 * The soak's Socket.IO clients, in their own process (decoding 4 × 5,000 records a second must not
 * slow the load generator). Each connects as an mpm-tui client and counts every record of every
 * `events` batch by seq, so that the soak can check that each client got each accepted event
 * exactly once. Answers `summary` over IPC with, per client: records received, seqs seen twice,
 * lowest and highest seq, seqs that came out of order, and whether it is still connected.
 */
import {io, type Socket} from 'socket.io-client';

const [url, nText] = process.argv.slice(2);
const n = Number(nText);

export interface ClientSummary {
	received: number;
	/** Distinct seqs seen more than once. */
	repeated: number;
	minSeq: number;
	maxSeq: number;
	outOfOrder: number;
	connected: boolean;
	/** Why it disconnected, if it did. */
	lost?: string;
}

class SeqCounter {
	private seen = new Uint8Array(1 << 20);
	readonly summary: ClientSummary = {
		received: 0,
		repeated: 0,
		minSeq: 0,
		maxSeq: 0,
		outOfOrder: 0,
		connected: false,
	};

	add(seq: number): void {
		const s = this.summary;
		s.received++;
		if (seq >= this.seen.length) {
			let size = this.seen.length;
			while (size <= seq) size *= 2;
			const grown = new Uint8Array(size);
			grown.set(this.seen);
			this.seen = grown;
		}
		if (this.seen[seq] === 1) s.repeated++;
		this.seen[seq] = 1;
		if (seq <= s.maxSeq) s.outOfOrder++;
		if (s.minSeq === 0 || seq < s.minSeq) s.minSeq = seq;
		if (seq > s.maxSeq) s.maxSeq = seq;
	}
}

const counters = Array.from({length: n}, () => new SeqCounter());
const sockets: Socket[] = [];

await Promise.all(
	counters.map((counter) => {
		const socket = io(url, {
			transports: ['websocket'],
			forceNew: true,
			reconnection: false,
			auth: {client: 'mpm-tui'},
		});
		sockets.push(socket);
		socket.on('events', (batch: Array<{seq: number}>) => {
			for (const record of batch) counter.add(record.seq);
		});
		socket.on('disconnect', (reason) => {
			counter.summary.connected = false;
			counter.summary.lost = reason;
		});
		return new Promise<void>((resolve, reject) => {
			socket.once('connect', () => {
				counter.summary.connected = true;
				resolve();
			});
			socket.once('connect_error', reject);
		});
	}),
);
process.send!({type: 'ready'});
process.on('message', (message: {type: string}) => {
	if (message.type === 'summary') process.send!({type: 'summary', clients: counters.map((c) => c.summary)});
	if (message.type === 'close') {
		for (const socket of sockets) socket.close();
		process.exit(0);
	}
});
