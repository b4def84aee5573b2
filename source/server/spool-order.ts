/**
 * Spooled events in the order their hooks ran (docs/ARCHITECTURE.md "Order of a session's hooks").
 *
 * The sh forwarder spools from a background subshell, so when the server is down, back-to-back
 * hooks can append their lines in the wrong order. Its id says when each forwarder started:
 * `s<pid>-<start tick>-<boot id>`, read from /proc. A later hook started at a later clock tick, or
 * in the same tick (10 ms) with a later pid (pids are handed out in increasing order; one that is
 * far lower wrapped around pid_max). The drain passes a file's lines through a small window that
 * hands them on in that order. Only lines in the forwarders' layout with such an id, from the same
 * boot, are reordered among themselves; any other line (the Node forwarder's, which spools in the
 * foreground and so in order; one too large for the window; one from another boot) first lets
 * out everything before it, so it keeps its place. Pure: no I/O.
 */

/** When an sh forwarder started, from its id. */
export interface StartKey {
	boot: string;
	tick: number;
	pid: number;
}

/** Pids further apart than this within one clock tick can only be a wrap-around (the forwarder uses the same bound). */
const PID_WRAP = 16384;

const SH_ID = /^s(\d{1,7})-(\d{1,15})-([0-9a-f]{8})$/;
/** The forwarders' layout, up to the end of the id (spool-line.ts holds the whole rule). */
const LINE_ID = /^\{"mpm_spool":1,"id":"([A-Za-z0-9._:-]{1,128})"/;

/** The start key in an sh forwarder id of the /proc kind; undefined for any other id. */
export function startKeyOf(id: string): StartKey | undefined {
	const match = SH_ID.exec(id);
	if (!match) return undefined;
	return {pid: Number(match[1]), tick: Number(match[2]), boot: match[3]};
}

/** The start key of a spool line written by the sh forwarder (read from its first bytes, not parsed). */
export function startKeyOfLine(bytes: Buffer): StartKey | undefined {
	const match = LINE_ID.exec(bytes.subarray(0, 180).toString('latin1'));
	return match ? startKeyOf(match[1]) : undefined;
}

/** True when `a` started before `b` (same boot). The same rule as forward.sh's `started_before`. */
export function startedBefore(a: StartKey, b: StartKey): boolean {
	if (a.tick !== b.tick) return a.tick < b.tick;
	const d = b.pid - a.pid;
	return (d > 0 && d < PID_WRAP) || d < -PID_WRAP;
}

export interface Windowed<T> {
	item: T;
	key: StartKey;
	bytes: number;
}

export interface SpoolOrderLimits {
	/** Most lines held back at once. */
	lines: number;
	/** Most bytes held back at once; a line larger than this is not held at all. */
	bytes: number;
}

export const SPOOL_ORDER_LIMITS: SpoolOrderLimits = {lines: 256, bytes: 8 * 1024 * 1024};

/**
 * A bounded window over a file's lines. `add` takes the next line (with its key, or undefined for
 * a line that must keep its place) and returns what is to be handled now, in order.
 */
export class SpoolOrder<T> {
	private held: Windowed<T>[] = [];
	private heldBytes = 0;

	constructor(private readonly limits: SpoolOrderLimits = SPOOL_ORDER_LIMITS) {}

	/** Lines held back, in file order. */
	pending(): readonly T[] {
		return this.held.map((entry) => entry.item);
	}

	add(item: T, key: StartKey | undefined, bytes: number): T[] {
		if (key === undefined || bytes > this.limits.bytes) return [...this.flush(), item];
		const out = this.held.length > 0 && this.held[0].key.boot !== key.boot ? this.flush() : [];
		this.held.push({item, key, bytes});
		this.heldBytes += bytes;
		while (this.held.length > this.limits.lines || this.heldBytes > this.limits.bytes)
			out.push(this.takeEarliest());
		return out;
	}

	/** Everything held, earliest first. */
	flush(): T[] {
		const out: T[] = [];
		while (this.held.length > 0) out.push(this.takeEarliest());
		return out;
	}

	/** The line that started first (the first in file order among equals). */
	private takeEarliest(): T {
		let at = 0;
		for (let i = 1; i < this.held.length; i++) if (startedBefore(this.held[i].key, this.held[at].key)) at = i;
		const [entry] = this.held.splice(at, 1);
		this.heldBytes -= entry.bytes;
		return entry.item;
	}
}
