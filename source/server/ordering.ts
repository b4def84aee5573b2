/**
 * Cause before effect for forwarded events (docs/ARCHITECTURE.md "Order of a session's hooks").
 *
 * Claude Code runs a session's hooks one after another, but the sh forwarder POSTs from the
 * background, so a hook's event can reach the server before the one of the hook before it. Each
 * forwarder names, in `X-Mpm-After`, the events that started before it and were still on their
 * way (their copies of stdin were still next to the spool). Such a request is held here until
 * every event it names is settled — answered by this server under its `X-Mpm-Id`, whatever the
 * answer, or taken from the spool — and only then ingested, so its seq comes after theirs.
 *
 * Nothing is held when nothing named is missing (the usual case: no timer, no promise). The hold
 * is bounded: an event that is named but has not arrived within `holdMs` is given up (and not
 * waited for again); one that has arrived but is itself held is waited for up to `maxHoldMs`
 * since arrival, so that a chain is released in its order and a cycle (which a forwarder never
 * sends) cannot hold anything for longer. Over `maxHeld` events or `maxHeldBytes` of bodies,
 * a request is not held at all: order is given up before anything else.
 */
import {isValidId} from '../core/limits.js';

/** The most ids `X-Mpm-After` may name (the sh forwarder names at most this many). */
export const AFTER_MAX_IDS = 16;
export const AFTER_RULE = `up to ${AFTER_MAX_IDS} event ids (each 1 to 128 letters, digits, dots, dashes, colons or underscores), separated by commas`;

/** `X-Mpm-After` read: the ids it names (none when the header is absent), or why it is refused. */
export function parseAfterHeader(
	value: string | string[] | undefined,
): {ok: true; ids: string[]} | {ok: false; error: string} {
	if (value === undefined) return {ok: true, ids: []};
	const text = Array.isArray(value) ? value.join(',') : value;
	const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
	const ids = text.split(',').map((id) => id.trim());
	if (ids.length > AFTER_MAX_IDS || !ids.every(isValidId))
		return {ok: false, error: `X-Mpm-After must be ${AFTER_RULE}, got ${shown}`};
	return {ok: true, ids};
}

export interface OrderGateOptions {
	/** How long a request waits for a named event that has not arrived (ms). */
	holdMs: number;
	/** How long a request waits in all, since it arrived, for named events that have (ms). */
	maxHoldMs: number;
	/** Most requests held at once. */
	maxHeld: number;
	/** Most body bytes held at once. */
	maxHeldBytes: number;
	/** How many settled ids are remembered. */
	rememberIds: number;
}

export const DEFAULT_ORDER_GATE: OrderGateOptions = {
	// A busy machine can delay a forwarder's background POST by a few hundred ms. A hold longer
	// than the forwarder's own timeout (300 ms) still orders the event (it is ingested when it is
	// released); the forwarder, given no answer, spools a copy the drain drops as a duplicate.
	holdMs: 500,
	maxHoldMs: 1000,
	maxHeld: 1024,
	maxHeldBytes: 16 * 1024 * 1024,
	rememberIds: 8192,
};

export interface OrderStats {
	/** Requests held so far because an event they name had not been settled. */
	held: number;
	/** Requests released because their hold ran out, not because what they named was settled. */
	timedOut: number;
	/** Requests not held because the gate was full. */
	overflow: number;
	/** Requests held now. */
	waiting: number;
	/** The longest hold so far (ms). */
	longestMs: number;
}

interface Held {
	/** Its own `X-Mpm-Id`, if any. */
	id: string | undefined;
	/** Named ids not settled yet. */
	missing: Set<string>;
	bytes: number;
	arrived: number;
	timer: NodeJS.Timeout | undefined;
	release(): void;
}

export class OrderGate {
	private readonly options: OrderGateOptions;
	/** Settled ids, oldest first (a Set keeps insertion order). */
	private readonly settledIds = new Set<string>();
	/** Held requests by each id they wait for. */
	private readonly waiters = new Map<string, Held[]>();
	/** Held requests by their own id: those have arrived, and will be settled once released. */
	private readonly heldById = new Map<string, Held>();
	private readonly all = new Set<Held>();
	private heldBytes = 0;
	private readonly counts = {held: 0, timedOut: 0, overflow: 0, longestMs: 0};

	constructor(options: Partial<OrderGateOptions> = {}) {
		this.options = {...DEFAULT_ORDER_GATE, ...options};
	}

	/**
	 * Undefined when the request may be ingested now; otherwise a promise that resolves when it
	 * may (never rejects). `id` is the request's own id, `after` the ids it names, `bytes` its body.
	 */
	wait(id: string | undefined, after: readonly string[], bytes: number): Promise<void> | undefined {
		let missing: Set<string> | undefined;
		for (const name of after) {
			if (name === id || this.settledIds.has(name)) continue;
			(missing ??= new Set()).add(name);
		}
		if (missing === undefined) return undefined;
		const {maxHeld, maxHeldBytes} = this.options;
		if (
			this.all.size >= maxHeld ||
			this.heldBytes + bytes > maxHeldBytes ||
			(id !== undefined && this.heldById.has(id))
		) {
			this.counts.overflow++;
			return undefined;
		}
		this.counts.held++;
		return new Promise<void>((resolve) => {
			const held: Held = {
				id,
				missing: missing!,
				bytes,
				arrived: Date.now(),
				timer: undefined,
				release: resolve,
			};
			this.all.add(held);
			this.heldBytes += bytes;
			if (id !== undefined) this.heldById.set(id, held);
			for (const name of held.missing) {
				const list = this.waiters.get(name);
				if (list) list.push(held);
				else this.waiters.set(name, [held]);
			}
			this.arm(held, this.options.holdMs);
		});
	}

	/** `id` has been answered (or taken from the spool): what waits for it may go. */
	settled(id: string): void {
		if (this.settledIds.has(id)) this.settledIds.delete(id);
		this.settledIds.add(id);
		if (this.settledIds.size > this.options.rememberIds) {
			for (const oldest of this.settledIds) {
				this.settledIds.delete(oldest);
				break;
			}
		}
		const list = this.waiters.get(id);
		if (list === undefined) return;
		this.waiters.delete(id);
		for (const held of list) {
			held.missing.delete(id);
			if (held.missing.size === 0) this.release(held, false);
		}
	}

	/** Releases everything held (the server is closing: nothing may be left unanswered). */
	close(): void {
		for (const held of [...this.all]) this.release(held, false);
	}

	stats(): OrderStats {
		return {...this.counts, waiting: this.all.size};
	}

	private arm(held: Held, ms: number): void {
		held.timer = setTimeout(() => this.expire(held), ms);
		held.timer.unref?.();
	}

	/**
	 * The hold ran out: what has not arrived is given up (settled, so nothing waits for it again);
	 * what has arrived and is held itself is waited for, within `maxHoldMs` since arrival.
	 */
	private expire(held: Held): void {
		held.timer = undefined;
		if (!this.all.has(held)) return;
		const left = this.options.maxHoldMs - (Date.now() - held.arrived);
		const givenUp = [...held.missing].filter((name) => !(left > 0 && this.heldById.has(name)));
		if (givenUp.length === held.missing.size) {
			this.release(held, true);
		} else {
			for (const name of givenUp) this.unwait(held, name);
			this.arm(held, left);
		}
		for (const name of givenUp) this.settled(name);
	}

	/** `held` no longer waits for `name`. */
	private unwait(held: Held, name: string): void {
		held.missing.delete(name);
		const list = this.waiters.get(name);
		if (list === undefined) return;
		const rest = list.filter((other) => other !== held);
		if (rest.length > 0) this.waiters.set(name, rest);
		else this.waiters.delete(name);
	}

	private release(held: Held, timedOut: boolean): void {
		if (!this.all.delete(held)) return;
		clearTimeout(held.timer);
		this.heldBytes -= held.bytes;
		if (held.id !== undefined && this.heldById.get(held.id) === held) this.heldById.delete(held.id);
		for (const name of [...held.missing]) this.unwait(held, name);
		if (timedOut) this.counts.timedOut++;
		this.counts.longestMs = Math.max(this.counts.longestMs, Date.now() - held.arrived);
		held.release();
	}
}
