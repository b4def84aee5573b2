/**
 * The mpm-tui client's catch-up by `seq`: on every (re)connect it asks for `history` pages from the
 * last seq it has seen until it is level with the server, holding back live `events` meanwhile,
 * then hands on what was held. A gap in live `events` starts another catch-up. A catch-up belongs
 * to one connection (its generation): a disconnect or a new `hello` ends it.
 */
import {isSeq} from '../core/record-check.js';
import type {ErrorAnswer, HistoryAnswer} from '../core/wire.js';
import type {ClientSocket} from './client-socket.js';
import type {ConnectionStatus} from './connection-status.js';
import type {SeqDelivery} from './seq-delivery.js';
import {serverText} from './server-text.js';

const PAGE = 5000;
const ACK_TIMEOUT_MS = 10_000;

/** The `history` ack as it arrives: the wire type's fields, each checked before use. */
type UncheckedHistoryAnswer = {[K in keyof (HistoryAnswer & ErrorAnswer)]?: unknown};

/** The seq of something that may be a record (0 when it has none), for ordering. */
function seqOf(item: unknown): number {
	const seq = typeof item === 'object' && item !== null ? (item as {seq?: unknown}).seq : undefined;
	return isSeq(seq) ? seq : 0;
}

export interface CatchUpDeps {
	socket: ClientSocket;
	delivery: SeqDelivery;
	status: ConnectionStatus;
	problem(message: string): void;
	isClosed(): boolean;
}

export class HistoryCatchUp {
	/** True from a (re)connect until the catch-up is done: live `events` are held meanwhile. */
	catchingUp = true;
	/** Live `events` items that arrived during a catch-up, handed on after it (checked then). */
	private held: unknown[] = [];
	/** Which connection a catch-up under way belongs to; anything that ends it moves this on. */
	private generation = 0;

	constructor(private readonly deps: CatchUpDeps) {}

	/** A new `hello`: what was held belongs to the connection before; `start` follows. */
	reset(): void {
		this.generation++;
		this.held = [];
	}

	start(): void {
		void this.run(this.generation);
	}

	/** The connection is gone (or closed): a catch-up under way ends; the next connect holds again. */
	end(): void {
		this.catchingUp = true;
		this.generation++;
	}

	/** Live `events`: held during a catch-up, else handed on; a gap starts a catch-up. */
	live(events: readonly unknown[]): void {
		if (this.catchingUp) {
			for (const event of events) this.held.push(event);
			return;
		}
		if (!this.deps.delivery.deliver(events, {gapsMatter: true})) {
			for (const event of events) this.held.push(event);
			this.generation++;
			void this.run(this.generation);
		}
	}

	private current(gen: number): boolean {
		return gen === this.generation && !this.deps.isClosed();
	}

	private async run(gen: number): Promise<void> {
		const {socket, delivery, status, problem} = this.deps;
		this.catchingUp = true;
		let progressed = false;
		while (this.current(gen)) {
			let answer: UncheckedHistoryAnswer;
			try {
				answer = (await socket
					.timeout(ACK_TIMEOUT_MS)
					.emitWithAck('history', {since: delivery.last ?? 0, limit: PAGE})) as UncheckedHistoryAnswer;
			} catch {
				if (!this.current(gen)) return;
				status.report('reconnecting', 'the server did not answer a history request');
				socket.disconnect().connect();
				return;
			}
			if (!this.current(gen)) return;
			if (
				typeof answer !== 'object' ||
				answer === null ||
				answer.error !== undefined ||
				!Array.isArray(answer.events)
			) {
				const why =
					typeof answer === 'object' && answer !== null && answer.error !== undefined
						? serverText(answer.error)
						: 'malformed answer';
				problem(`history: ${why}`);
				status.report('connected', `history: ${why}`);
				break;
			}
			// More than asked for is cut here and asked for again from the last seq taken.
			const cut = answer.events.length > PAGE;
			const events = cut ? answer.events.slice(0, PAGE) : answer.events;
			const before = delivery.last;
			delivery.deliver(events, {history: true});
			if (delivery.last === before) break; // nothing new: level with the server (or it repeats itself)
			progressed = true;
			// A server that cuts pages by size says whether more follow; older ones send full pages until the end.
			if (answer.more === true || cut) continue;
			if (answer.more === false) break;
			const serverLast = isSeq(answer.lastSeq) ? answer.lastSeq : 0;
			if (events.length < PAGE || (delivery.last ?? 0) >= serverLast) break;
		}
		if (this.current(gen)) this.finish(progressed);
	}

	/**
	 * Hands on what arrived live during the catch-up. A gap there means the history stopped short:
	 * another catch-up fills it, unless this one brought nothing new (the server has nothing to
	 * fill it with, e.g. it left its buffer), then the gap is taken as it is.
	 */
	private finish(progressed: boolean): void {
		const pending = this.held.sort((a, b) => seqOf(a) - seqOf(b));
		this.held = [];
		const whole = this.deps.delivery.deliver(pending, {gapsMatter: progressed});
		this.catchingUp = false;
		if (!whole) void this.run(this.generation);
		else this.deps.status.report('connected');
	}
}
