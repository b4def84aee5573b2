/**
 * Hook health from telemetry's `claude_code.hook_execution_complete`: per hook event type
 * (`PreToolUse`, `Stop`, …) the runs, hooks that succeeded, non-blocking errors, blocking
 * outcomes and durations. A small table (at most MAX_HOOK_EVENTS types; further types are not
 * counted). Pure.
 */
import type {EventRecord} from '../record.js';
import {countOf, idOf, own} from './usage-fields.js';
import type {HookHealth} from './usage-types.js';

export const MAX_HOOK_EVENTS = 128;

export class HookHealthTable {
	private readonly byEvent = new Map<string, HookHealth>();

	apply(rec: EventRecord): void {
		const p = rec.payload;
		const event =
			idOf(own(p, 'hook_event')) ??
			idOf(own(p, 'hook_event_name')) ??
			idOf(own(p, 'hook_name')) ??
			'(unnamed)';
		let row = this.byEvent.get(event);
		if (row === undefined) {
			if (this.byEvent.size >= MAX_HOOK_EVENTS) return;
			row = {
				event,
				runs: 0,
				succeeded: 0,
				nonBlockingErrors: 0,
				blocking: 0,
				totalMs: 0,
				maxMs: 0,
				meanMs: 0,
			};
			this.byEvent.set(event, row);
		}
		const ms = countOf(own(p, 'total_duration_ms')) ?? countOf(own(p, 'duration_ms')) ?? 0;
		row.runs++;
		row.succeeded += countOf(own(p, 'num_success')) ?? 0;
		row.nonBlockingErrors += countOf(own(p, 'num_non_blocking_error')) ?? 0;
		row.blocking += countOf(own(p, 'num_blocking')) ?? 0;
		row.totalMs += ms;
		if (ms > row.maxMs) row.maxMs = ms;
	}

	/** Most errors first, then the slowest on average. */
	snapshot(): HookHealth[] {
		return [...this.byEvent.values()]
			.map((row) => ({...row, meanMs: row.runs === 0 ? 0 : row.totalMs / row.runs}))
			.sort(
				(a, b) =>
					b.nonBlockingErrors + b.blocking - (a.nonBlockingErrors + a.blocking) ||
					b.meanMs - a.meanMs ||
					(a.event < b.event ? -1 : 1),
			);
	}

	clear(): void {
		this.byEvent.clear();
	}
}
