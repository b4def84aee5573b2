/**
 * Hands records on to the client's user exactly once, in seq order: remembers the last seq handed
 * on, skips what is not newer, and skips (and reports) what is not a record, stepping past its seq
 * when it has one (core/record-check). Live `events` must follow on from the last seq: a gap is
 * reported to the caller, who catches up.
 */
import {checkRecord} from '../core/record-check.js';
import type {EventRecord} from '../core/record.js';
import {serverText} from './server-text.js';

export interface DeliveryHandlers {
	/** `history`: caught up with, not just arrived at the server. */
	onEvents(events: EventRecord[], history: boolean): void;
	problem(message: string): void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class SeqDelivery {
	/** The last seq handed on (or to start after); undefined: not known yet (live only, from the `hello`). */
	last: number | undefined;

	constructor(
		since: number | undefined,
		private readonly handlers: DeliveryHandlers,
	) {
		this.last = since;
	}

	/**
	 * Hands on the records newer than `last`, in order. Returns false on a gap, which only
	 * `gapsMatter` items can have (live ones, not while catching up); the items from the gap on are
	 * then not handed on. `history`: the items are a page of the server's history.
	 */
	deliver(items: readonly unknown[], {history = false, gapsMatter = false} = {}): boolean {
		const fresh: EventRecord[] = [];
		let bad = 0;
		let firstError = '';
		let gap = false;
		for (const item of items) {
			const checked = checkRecord(item);
			const seq = checked.ok ? checked.record.seq : checked.seq;
			if (!checked.ok) {
				bad++;
				firstError ||= checked.error;
			}
			if (seq === null || (this.last !== undefined && seq <= this.last)) continue;
			if (this.last !== undefined && seq !== this.last + 1 && fresh.length === 0 && gapsMatter) {
				gap = true;
				break;
			}
			if (checked.ok) fresh.push(checked.record);
			this.last = seq;
		}
		if (bad > 0)
			this.handlers.problem(
				`skipped ${plural(bad, 'malformed record')} from the server (${serverText(firstError)})`,
			);
		if (fresh.length > 0) this.handlers.onEvents(fresh, history);
		return !gap;
	}

	/** Hands on one record numbered here (a claude-mpm server's event): its seq follows on from `last`. */
	deliverNumbered(record: EventRecord): void {
		this.last = record.seq;
		this.handlers.onEvents([record], false);
	}

	/** The seq a record numbered here gets next. */
	nextSeq(): number {
		return (this.last ?? 0) + 1;
	}
}
