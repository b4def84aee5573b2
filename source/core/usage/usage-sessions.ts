/**
 * A session as the usage join (usage-view.ts) holds it: its time span, its prompts (kept in time
 * order for attribution by time: a request without a prompt id goes to the session's last prompt at
 * or before its time), the requests folded in when they left the request table, and its
 * `otel.metrics` sums. Pure.
 */
import type {EventRecord} from '../record.js';
import type {UsageAccum} from './usage-accum.js';
import {own} from './usage-fields.js';
import type {MetricsState} from './usage-metrics.js';

export interface PromptMark {
	key: string;
	promptId: string | null;
	time: number;
	text: string | null;
}

export interface SessionState {
	key: string;
	first: number;
	last: number;
	prompts: Map<string, PromptMark>;
	/** The prompts by time (then key), for attribution by time. */
	starts: PromptMark[];
	/** Requests folded in when they left the request table. */
	retired: UsageAccum;
	metrics: MetricsState | null;
}

const MAX_PROMPT_TEXT = 200;

/**
 * A prompt (UserPromptSubmit, or telemetry's user_prompt; `promptId` is its `prompt.id`) into its
 * session's marks; past `maxPrompts` the earliest is forgotten.
 */
export function notePrompt(
	s: SessionState,
	rec: EventRecord,
	promptId: string | null,
	t: number,
	maxPrompts: number,
): void {
	const key = promptId ?? `@${rec.id}`;
	const raw = own(rec.payload, 'prompt');
	const text =
		typeof raw === 'string' && raw !== '' && raw !== '<REDACTED>' ? raw.slice(0, MAX_PROMPT_TEXT) : null;
	const known = s.prompts.get(key);
	if (known !== undefined) {
		if (known.text === null) known.text = text;
		if (t >= known.time) return;
		s.starts.splice(s.starts.indexOf(known), 1);
		known.time = t;
		insertMark(s.starts, known);
		return;
	}
	const mark: PromptMark = {key, promptId, time: t, text};
	s.prompts.set(key, mark);
	insertMark(s.starts, mark);
	if (s.starts.length > maxPrompts) s.prompts.delete(s.starts.shift()!.key);
}

function markBefore(a: PromptMark, b: PromptMark): boolean {
	return a.time < b.time || (a.time === b.time && a.key < b.key);
}

function insertMark(starts: PromptMark[], mark: PromptMark): void {
	let lo = 0;
	let hi = starts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (markBefore(starts[mid], mark)) lo = mid + 1;
		else hi = mid;
	}
	starts.splice(lo, 0, mark);
}

/** The key of the last prompt at or before `time`, or `` when none. */
export function attribute(starts: PromptMark[], time: number): string {
	let lo = 0;
	let hi = starts.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (starts[mid].time <= time) lo = mid + 1;
		else hi = mid;
	}
	return lo === 0 ? '' : starts[lo - 1].key;
}
