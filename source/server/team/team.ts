/**
 * Team mode (`--redis URL`, docs/team.md): several server instances on one Redis act as one.
 * Loaded only when `--redis` is given (server.ts imports it lazily), so a plain server never
 * loads ioredis or the adapter.
 * - Shipping: accepted events are in the journal first (as always); the shipper reads the
 *   journal after its shipped mark, in order and in bounded chunks, and hands each chunk to the
 *   ship script (ship-script.ts), which gives the team seqs and adds the events to the team's
 *   stream. While Redis is away nothing is shipped and nothing waits in memory: the journal is
 *   the queue, and shipping goes on from the mark once Redis is back.
 * - Tailing: each instance reads the stream (XREAD BLOCK from the last entry it has) into its own
 *   history and hands each batch to `publish` (broadcast, stdout), so that every instance's
 *   clients see every instance's events, in team seq order, once.
 * - Socket.IO's Redis Streams adapter is installed for Socket.IO's own cross-instance features;
 *   events never go through it (broadcast.ts emits locally).
 */
import {Redis, type RedisOptions} from 'ioredis';
import {createAdapter} from '@socket.io/redis-streams-adapter';
import type {Server} from 'socket.io';
import type {EventRecord} from '../../core/record.js';
import {exceedsDepth} from '../../core/parse-body.js';
import {joinSeq, splitSeq} from '../../core/team-line.js';
import {escapeJsonForTerminal, hasRawTerminalControls} from '../../core/terminal-safe.js';
import type {TeamStats} from '../../core/wire.js';
import {AcceptedBatch} from '../accepted-batch.js';
import {History} from '../history.js';
import {looksLikeRecord} from '../journal-replay.js';
import {JournalReader} from './journal-reader.js';
import {SHIP_SCRIPT, TEAM_KEYS} from './ship-script.js';
import {TeamState, teamStatePath} from './team-state.js';

export interface TeamOptions {
	redis: {url: string; redacted: string};
	/** The journal file: the queue of events not yet shipped. */
	journal: string;
	/** The journal's highest seq at start (0: a new journal). */
	journalLastSeq: number;
	/** The history's bounds (as --history, --history-bytes). */
	capacity: number;
	maxBytes: number;
	/** The stream's length bound (XADD MAXLEN ~). */
	maxLen: number;
	log: (line: string) => void;
	/** Each batch read from the stream after start-up, in team seq order. */
	publish: (batch: AcceptedBatch) => void;
	/** The stream's newest entries read at start (history only, not broadcast or printed again). */
	loaded: (batch: AcceptedBatch) => void;
	/** Events per ship call / per read (defaults 2000 / 1000). */
	shipLines?: number;
	readCount?: number;
}

export interface Team {
	readonly history: History;
	/** The highest team seq this instance has. */
	readonly lastSeq: number;
	/** New events are in the journal: ship them (now, or when Redis is back). */
	ship(): void;
	/** Installs Socket.IO's Redis Streams adapter on `io`. */
	attach(io: Server): void;
	/** `journalLastSeq`: the journal's highest seq now (for the backlog). */
	stats(journalLastSeq: number): TeamStats;
	/** A line for /health's problems when Redis is away, else null. */
	problem(): string | null;
	close(): Promise<void>;
}

type ShipCommand = (
	counter: string,
	stream: string,
	shipped: string,
	...args: Array<string | number>
) => Promise<[number, number, number]>;

/** A stream entry as ioredis answers it: [id, [field, value, field, value, …]]. */
type Entry = [string, string[]];

const SHIP_BYTES = 1024 * 1024;
const BLOCK_MS = 1000;
const START_WAIT_MS = 3000;

function message(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export async function startTeam(options: TeamOptions): Promise<Team> {
	const team = new TeamInstance(options);
	await team.start();
	return team;
}

class TeamInstance implements Team {
	readonly history: History;
	private readonly options: TeamOptions;
	private readonly state: TeamState;
	private readonly journal: JournalReader;
	private readonly command: Redis;
	private readonly reader: Redis;
	private readonly adapterClient: Redis;
	private readonly adapterCopies: Redis[] = [];
	private readonly shipScript: ShipCommand;
	private closed = false;
	private shipping: Promise<void> | null = null;
	private again = false;
	private lastId = '0-0';
	private loaded = false;
	private tailing: Promise<void> = Promise.resolve();
	private timer: NodeJS.Timeout | undefined;
	private down: string | null = 'not connected yet';
	/** What Redis answered to the last ship or read it refused while connected (cleared by a ship that works). */
	private refusal: string | null = null;
	private counts = {shippedEvents: 0, shipCalls: 0, readEvents: 0, invalid: 0, outages: 0};

	constructor(options: TeamOptions) {
		this.options = options;
		this.history = new History(options.capacity, options.maxBytes);
		this.state = new TeamState(teamStatePath(options.journal), options.journalLastSeq);
		this.journal = new JournalReader(options.journal);
		const base: RedisOptions = {
			lazyConnect: true,
			// Commands fail at once while Redis is away (the journal keeps the events), rather than waiting in memory.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			retryStrategy: (times) => Math.min(100 * times, 2000),
			connectionName: `mpm-tui:${this.state.instance}`,
			// A closing connection to a Redis that is away holds the process no longer than this.
			disconnectTimeout: 300,
		};
		this.command = new Redis(options.redis.url, base);
		this.reader = new Redis(options.redis.url, base);
		// The adapter polls with commands of its own: those wait for Redis rather than fail in a loop.
		// Not lazy: the adapter's copies of it connect by themselves (a lazy one would be awaited, and fail while Redis is away).
		this.adapterClient = new Redis(options.redis.url, {
			...base,
			lazyConnect: false,
			enableOfflineQueue: true,
			maxRetriesPerRequest: null,
		});
		// The adapter sends its heartbeats with PUBLISH and drops the promise: one that fails (Redis
		// away, the connection closed at stop) would be an unhandled rejection, which ends the process.
		const publish = this.adapterClient.publish.bind(this.adapterClient) as (
			...args: unknown[]
		) => Promise<unknown>;
		(this.adapterClient as unknown as {publish: typeof publish}).publish = (...args) => {
			const sent = publish(...args);
			sent.catch(() => {});
			return sent;
		};
		const duplicate = this.adapterClient.duplicate.bind(this.adapterClient);
		this.adapterClient.duplicate = (override?: Partial<RedisOptions>) => {
			const copy = duplicate(override);
			this.adapterCopies.push(copy);
			return copy;
		};
		this.command.defineCommand('mpmTuiShip', {numberOfKeys: 3, lua: SHIP_SCRIPT});
		this.shipScript = (this.command as unknown as {mpmTuiShip: ShipCommand}).mpmTuiShip.bind(this.command);
		for (const client of [this.command, this.reader, this.adapterClient]) client.on('error', () => {});
		// Up when both connections are: the one that ships and the one that reads.
		const onReady = () => {
			if (!this.isUp()) return;
			if (this.down !== null)
				options.log(
					`team: connected to Redis at ${options.redis.redacted} (instance ${this.state.instance})`,
				);
			this.down = null;
			this.ship();
		};
		this.command.on('ready', onReady);
		this.reader.on('ready', onReady);
		this.command.on('close', () => this.goneAway('the connection closed'));
		this.reader.on('close', () => this.goneAway('the connection closed'));
	}

	async start(): Promise<void> {
		const ready = Promise.all([this.command, this.reader].map((client) => client.connect().catch(() => {})));
		const timer = new Promise<void>((resolve) => setTimeout(resolve, START_WAIT_MS).unref());
		await Promise.race([ready, timer]);
		if (this.command.status !== 'ready')
			this.options.log(
				`team: Redis at ${this.options.redis.redacted} is not reachable yet; events are kept in the journal and shipped once it is`,
			);
		this.tailing = this.tail();
		// A safety net: whatever stopped a ship (an error, a lost answer) is retried within a second.
		this.timer = setInterval(() => this.ship(), 1000);
		this.timer.unref();
	}

	get lastSeq(): number {
		return this.history.lastSeq;
	}

	attach(io: Server): void {
		io.adapter(
			createAdapter(this.adapterClient, {
				streamName: TEAM_KEYS.adapterStream,
				sessionKeyPrefix: TEAM_KEYS.adapterSessions,
				maxLen: this.options.maxLen,
				blockTimeInMs: BLOCK_MS,
			}),
		);
	}

	private isUp(): boolean {
		return this.command.status === 'ready' && this.reader.status === 'ready';
	}

	/** A command failed: Redis is away when a connection is down; else Redis refused it (said once, tried again). */
	private failed(error: unknown): void {
		if (!this.isUp()) this.goneAway(message(error));
		else if (this.refusal === null) {
			this.refusal = message(error);
			this.options.log(`team: Redis at ${this.options.redis.redacted} refused a command: ${this.refusal}`);
		}
	}

	private goneAway(reason: string): void {
		if (this.closed || this.down !== null) return;
		this.down = reason;
		this.counts.outages++;
		this.options.log(
			`team: Redis at ${this.options.redis.redacted} is away (${reason}); events are kept in the journal and shipped once it is back`,
		);
	}

	ship(): void {
		if (this.closed) return;
		if (this.shipping) {
			this.again = true;
			return;
		}
		this.shipping = this.shipAll().finally(() => {
			this.shipping = null;
			if (this.again && !this.closed && this.command.status === 'ready') this.ship();
		});
	}

	/** Ships the journal after the shipped mark, chunk by chunk, until it is all shipped or Redis fails. */
	private async shipAll(): Promise<void> {
		const maxLines = this.options.shipLines ?? 2000;
		for (;;) {
			this.again = false;
			if (this.closed || this.command.status !== 'ready') return;
			const chunk = this.journal.read(this.state.shipped, maxLines, SHIP_BYTES);
			if (chunk.lines.length === 0) {
				this.journal.commit(chunk.end);
				return;
			}
			const args: Array<string | number> = [];
			for (const {line} of chunk.lines) {
				const split = splitSeq(line);
				if (split) args.push(split.seq, split.rest);
				else this.counts.invalid++;
			}
			const lastInChunk = chunk.lines[chunk.lines.length - 1].seq;
			if (args.length > 0) {
				let answer: [number, number, number];
				try {
					answer = await this.shipScript(
						TEAM_KEYS.counter,
						TEAM_KEYS.stream,
						TEAM_KEYS.shipped,
						this.state.instance,
						Math.max(this.state.seen, this.history.lastSeq),
						this.options.maxLen,
						...args,
					);
				} catch (error) {
					this.failed(error);
					return;
				}
				this.refusal = null;
				this.counts.shipCalls++;
				this.counts.shippedEvents += Number(answer[1]);
				this.state.seen = Math.max(this.state.seen, Number(answer[0]));
			}
			this.state.shipped = Math.max(this.state.shipped, lastInChunk);
			this.state.save();
			this.journal.commit(chunk.end);
		}
	}

	/** Reads the stream into the history for as long as the team runs. */
	private async tail(): Promise<void> {
		while (!this.closed) {
			try {
				if (this.reader.status !== 'ready') {
					await sleep(200);
					continue;
				}
				if (!this.loaded) {
					const newest = (await this.reader.xrevrange(
						TEAM_KEYS.stream,
						'+',
						'-',
						'COUNT',
						this.options.capacity,
					)) as Entry[];
					this.take(newest.reverse(), false);
					this.loaded = true;
					continue;
				}
				const answer = (await this.reader.xread(
					'COUNT',
					this.options.readCount ?? 1000,
					'BLOCK',
					BLOCK_MS,
					'STREAMS',
					TEAM_KEYS.stream,
					this.lastId,
				)) as Array<[string, Entry[]]> | null;
				if (answer && answer.length > 0) this.take(answer[0][1], true);
			} catch (error) {
				if (this.closed) return;
				this.failed(error);
				await sleep(200);
			}
		}
	}

	/** Entries in stream order → records above the history's last seq → history, then `publish` (or `loaded`). */
	private take(entries: Entry[], live: boolean): void {
		if (entries.length === 0) return;
		const records: EventRecord[] = [];
		const lines: string[] = [];
		for (const [id, fields] of entries) {
			this.lastId = id;
			let seqText: string | undefined;
			let rest: string | undefined;
			for (let i = 0; i + 1 < fields.length; i += 2) {
				if (fields[i] === 's') seqText = fields[i + 1];
				else if (fields[i] === 'r') rest = fields[i + 1];
			}
			const seq = Number(seqText);
			const last = records.length > 0 ? records[records.length - 1].seq : this.history.lastSeq;
			if (!Number.isSafeInteger(seq) || rest === undefined) {
				this.counts.invalid++;
				continue;
			}
			// Already held (read at start, or a second read of the same entries).
			if (seq <= last) continue;
			let line = joinSeq(seq, rest);
			// Held to what the journal's replay holds a line to: whatever else wrote to the stream.
			let value: unknown;
			try {
				value = exceedsDepth(line) ? undefined : JSON.parse(line);
			} catch {
				value = undefined;
			}
			if (!looksLikeRecord(value) || value.seq !== seq) {
				this.counts.invalid++;
				continue;
			}
			// A line is one NDJSON line with no raw terminal controls, as every line the server writes.
			if (line.includes('\n') || line.includes('\r') || hasRawTerminalControls(line))
				line = escapeJsonForTerminal(JSON.stringify(value));
			records.push(value);
			lines.push(line);
		}
		if (records.length === 0) return;
		const batch = AcceptedBatch.fromNdjson(records, Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
		this.history.push(batch);
		this.counts.readEvents += records.length;
		this.state.seen = Math.max(this.state.seen, records[records.length - 1].seq);
		this.state.save();
		if (live) this.options.publish(batch);
		else this.options.loaded(batch);
	}

	problem(): string | null {
		if (this.down !== null)
			return `team: Redis at ${this.options.redis.redacted} is away (${this.down}); events are kept in the journal and shipped once it is back`;
		if (this.refusal !== null)
			return `team: Redis at ${this.options.redis.redacted} refuses a command (${this.refusal}); events are kept in the journal and shipped once it takes them`;
		return null;
	}

	stats(journalLastSeq: number): TeamStats {
		return {
			redis: this.options.redis.redacted,
			connected: this.down === null,
			instance: this.state.instance,
			shipped: this.state.shipped,
			backlog: Math.max(0, journalLastSeq - this.state.shipped),
			lastSeq: this.history.lastSeq,
			seen: this.state.seen,
			shippedEvents: this.counts.shippedEvents,
			shipCalls: this.counts.shipCalls,
			readEvents: this.counts.readEvents,
			invalid: this.counts.invalid,
			outages: this.counts.outages,
			...(this.down !== null || this.refusal !== null ? {error: this.down ?? this.refusal!} : {}),
		};
	}

	async close(): Promise<void> {
		if (this.closed) return;
		if (this.timer) clearInterval(this.timer);
		// What the journal took last is shipped now when Redis is there (else it waits in the journal).
		this.ship();
		await Promise.race([this.shipping ?? Promise.resolve(), sleep(2000)]);
		this.closed = true;
		for (const client of [this.command, this.reader, this.adapterClient, ...this.adapterCopies])
			client.disconnect();
		await this.tailing;
		this.state.close();
	}
}
