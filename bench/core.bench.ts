/**
 * Core throughput over 100k realistic events: normalize, parseBody + normalize, the duplicate key
 * (server/content-key.ts) + DuplicateWindow, matchFilter. Each figure is printed as a ratio against
 * a baseline measured in the same run: JSON.parse(JSON.stringify(x)) of the same events (a plain
 * deep copy). Medians of several interleaved rounds, since the machine is shared and noisy.
 */
import {performance} from 'node:perf_hooks';
import {normalize} from '../source/core/normalize.js';
import {parseBody} from '../source/core/parse-body.js';
import {DuplicateWindow} from '../source/core/dedupe.js';
import {contentKey} from '../source/server/content-key.js';
import {compileFilter} from '../source/core/filter.js';
import type {EventRecord} from '../source/core/record.js';
import {hookEvents, mpmEnvelopes, sessionFlow} from '../test/fixtures/hook-payloads.js';

const N = 100_000;
const ROUNDS = 7;

// Realistic mix: mostly tool events of a session, some other hook events and claude-mpm envelopes.
const templates = [
	...sessionFlow,
	...sessionFlow,
	...Object.values(hookEvents),
	...Object.values(mpmEnvelopes),
];
const events: Record<string, unknown>[] = [];
for (let i = 0; i < N; i++) {
	const t = templates[i % templates.length];
	const copy = JSON.parse(JSON.stringify(t)) as Record<string, unknown>;
	if ('hook_event_name' in copy) {
		copy.session_id = `sess-${i % 17}`;
		if ('tool_use_id' in copy) copy.tool_use_id = `toolu_${i}`;
	}
	events.push(copy);
}
const raws = events.map((e) => JSON.stringify(e));
const meta = {id: '', receivedAt: '2026-11-23T10:00:00.000Z', source: 'hook'};
const records: EventRecord[] = events.map((e, i) => {
	const r = normalize(e, {...meta, id: `id-${i}`});
	if (!r.ok) throw new Error(r.error);
	return {seq: i + 1, ...r.record};
});
const filters = [
	'type:PreToolUse tool:Bash,Read',
	'npm test',
	'is:error -agent:main',
	'session:sess-3 type:Post* seq:>5000',
];

let sink = 0;
const tasks: Record<string, () => void> = {
	baseline: () => {
		for (const e of events) sink += (JSON.parse(JSON.stringify(e)) as object) ? 1 : 0;
	},
	normalize: () => {
		for (let i = 0; i < N; i++) if (normalize(events[i], meta).ok) sink++;
	},
	'parseBody+normalize': () => {
		for (let i = 0; i < N; i++) {
			const p = parseBody(raws[i], 'application/json');
			if (p.ok && p.items[0].ok && normalize(p.items[0].value, meta).ok) sink++;
		}
	},
	'hash+dedupe': () => {
		const w = new DuplicateWindow();
		for (let i = 0; i < N; i++) if (!w.isDuplicate(contentKey(raws[i]), i / 50)) sink++;
	},
	'matchFilter x4': () => {
		for (const q of filters) {
			const c = compileFilter(q);
			if (!c.ok) throw new Error(c.error);
			for (const r of records) if (c.test(r)) sink++;
		}
	},
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(tasks).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
	for (const [name, run] of Object.entries(tasks)) {
		const t0 = performance.now();
		run();
		times[name].push(performance.now() - t0);
	}
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times.baseline);
console.log(
	`core: ${N} events, median of ${ROUNDS} rounds; baseline = JSON.parse(JSON.stringify(event)) deep copy`,
);
for (const name of Object.keys(tasks)) {
	const ms = median(times[name]);
	const perEvent = name === 'matchFilter x4' ? N * filters.length : N;
	console.log(
		`  ${name.padEnd(20)} ${(ms / base).toFixed(2)}× baseline   (${Math.round((perEvent / ms) * 1000).toLocaleString('en-US')} ops/s, ${ms.toFixed(0)} ms)`,
	);
}
if (sink < 0) console.log(sink);
