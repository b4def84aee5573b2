/**
 * `--replay`'s loader (tui/sources/replay.ts, replay-line.ts) on real files: each kind of bad line is
 * counted with its reason and loses nothing else; files too large to hold, pipes and devices are
 * refused with one clear line, without waiting on them; any bytes on a line give a record of the
 * promised shape or a reason, never an exception (property-based, fast-check). And the built
 * monitor in a real terminal (tmux) replaying raw hook payloads: times and session ages read as
 * the time they were played.
 */
import {after, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {checkRecord} from '../source/core/record-check.js';
import {loadReplay, MAX_REPLAY_BYTES, MAX_REPLAY_LINES, ReplayError} from '../source/tui/sources/replay.js';
import {MAX_LINE_BYTES, replayLine} from '../source/tui/sources/replay-line.js';
import {hostileJson} from './fixtures/hostile-arbitraries.js';
import {forbiddenIn, nested} from './fixtures/hostile-events.js';
import {deepJson} from './helpers/hostile-socket-server.js';
import {withTimeout} from './helpers/server-kit.js';
import {cliPath, Tmux} from './helpers/tmux-kit.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-replay-'));
after(() => rmSync(dir, {recursive: true, force: true}));
let files = 0;

function file(content: string | Buffer): string {
	const name = path.join(dir, `recording-${++files}.ndjson`);
	writeFileSync(name, content);
	return name;
}

const record = (seq: number, fields: Record<string, unknown> = {}) =>
	JSON.stringify({
		seq,
		id: `rec-${seq}`,
		time: '2026-11-23T10:00:00.000Z',
		session: 's',
		type: 'PreToolUse',
		tool: 'Bash',
		toolUseId: null,
		agentId: null,
		agentType: null,
		cwd: '/x',
		summary: `Bash  echo ${seq}`,
		source: 'hook',
		payload: {},
		...fields,
	});

async function refusal(name: string): Promise<string> {
	const error = await withTimeout(
		loadReplay(name).then(
			() => null,
			(e: unknown) => e,
		),
		5000,
		'the loader to answer',
	);
	assert.ok(error instanceof ReplayError, `a ReplayError, got ${String(error)}`);
	assert.equal(
		forbiddenIn(error.message),
		null,
		`the message is safe to print: ${JSON.stringify(error.message)}`,
	);
	return error.message;
}

describe('replay lines', () => {
	test('every kind of bad line is counted with its reason; the good lines around them are all kept', async () => {
		const lines: Array<string | Buffer> = [
			`\ufeff${record(1)}`,
			`{"hook_event_name":"Stop","big":"${'x'.repeat(MAX_LINE_BYTES)}"}`,
			Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
			deepJson(5000),
			record(2, {time: 1e300}),
			record(3, {time: '+275760-09-13T00:00:00.001Z'}),
			JSON.stringify({mpm_spool: 1, id: 'sp-1', receivedAt: 1e300, event: {hook_event_name: 'Stop'}}),
			JSON.stringify({
				mpm_spool: 1,
				id: 'sp-2',
				receivedAt: 8_640_000_000_000_001,
				event: {hook_event_name: 'Stop'},
			}),
			JSON.stringify({
				mpm_spool: 1,
				id: 'bad id with spaces',
				receivedAt: 1_763_892_000_123,
				event: {hook_event_name: 'Stop'},
			}),
			'this is not json',
			'[1,2,3]',
			JSON.stringify({type: 'hook', subtype: 'constructor', data: {}}),
			'{"hook_event_name":"toString","__proto__":{"polluted":true},"session_id":"constructor","tool_name":"hasOwnProperty"}',
			JSON.stringify({
				mpm_spool: 1,
				id: 'sp-3',
				receivedAt: 1_763_892_000_123,
				event: {hook_event_name: 'SessionStart', session_id: 'spooled'},
			}),
			record(1e300),
			`  ${record(5)}  \r`,
			'',
			'   ',
			JSON.stringify({hook_event_name: 'UserPromptSubmit', prompt: 'CANARY', deep: nested(60)}),
		];
		const body = Buffer.concat(
			lines.map((l) => Buffer.concat([typeof l === 'string' ? Buffer.from(l) : l, Buffer.from('\n')])),
		);
		const loaded = await loadReplay(file(body));
		const reasons = new Map<number, string>();
		// The first three reasons are kept for the notice; the rest are checked one line at a time.
		for (const [i, line] of lines.entries()) {
			const bytes = typeof line === 'string' ? Buffer.from(line) : line;
			const result =
				bytes.toString().trim() === ''
					? null
					: replayLine(Buffer.from(bytes.toString('latin1').trim(), 'latin1'), i + 1);
			if (result && !result.ok) reasons.set(i + 1, result.error);
		}
		assert.deepEqual(
			loaded.firstErrors,
			[2, 3, 4].map((n) => `line ${n}: ${reasons.get(n)}`),
		);
		assert.equal(reasons.get(2), `longer than 1048576 bytes (${Buffer.byteLength(lines[1])})`);
		assert.equal(reasons.get(3), 'not valid UTF-8 at byte 6');
		assert.equal(reasons.get(4), 'JSON nested deeper than 64 levels');
		assert.match(
			reasons.get(5)!,
			/record time must be an ISO date string after 1970 \(as 2026-07-27T12:31:53\.000Z\), got 1e\+300/,
		);
		assert.match(reasons.get(6)!, /record time must be an ISO date string/);
		assert.equal(
			reasons.get(7),
			'spool line receivedAt must be a time in epoch milliseconds between 1 and 8640000000000000, got 1e+300',
		);
		assert.equal(
			reasons.get(8),
			'spool line receivedAt must be a time in epoch milliseconds between 1 and 8640000000000000, got 8640000000000001',
		);
		assert.match(reasons.get(9)!, /^spool line id must be 1 to 128 letters/);
		assert.match(reasons.get(10)!, /^not JSON \(/);
		assert.match(reasons.get(11)!, /event must be a JSON object, got an array/);
		// Line 12 (a prototype key as a claude-mpm subtype) is an event or a reason, never a throw.
		const good = loaded.records.map((r) => [r.seq, r.type, r.session, r.id]);
		assert.equal(loaded.bad, lines.length - 2 /* blank */ - good.length);
		assert.deepEqual(
			good.filter(([, type]) => !/constructor/i.test(String(type))),
			[
				[1, 'PreToolUse', 's', 'rec-1'],
				[loaded.records.find((r) => r.type === 'toString')!.seq, 'toString', 'constructor', 'replay-13'],
				[loaded.records.find((r) => r.session === 'spooled')!.seq, 'SessionStart', 'spooled', 'sp-3'],
				[loaded.records.find((r) => r.id === 'rec-1e+300')!.seq, 'PreToolUse', 's', 'rec-1e+300'],
				[5, 'PreToolUse', 's', 'rec-5'],
				[
					loaded.records.find((r) => r.summary.includes('CANARY'))!.seq,
					'UserPromptSubmit',
					null,
					'replay-19',
				],
			],
		);
		const spooled = loaded.records.find((r) => r.id === 'sp-3')!;
		assert.equal(
			spooled.time,
			new Date(1_763_892_000_123).toISOString(),
			'a spool line keeps its id and time',
		);
		assert.ok(
			Number.isSafeInteger(loaded.records.find((r) => r.id === 'rec-1e+300')!.seq),
			'a seq out of range is renumbered',
		);
		for (const r of loaded.records)
			assert.ok(
				checkRecord(structuredClone(r)).ok,
				`record of the promised shape: ${JSON.stringify(r).slice(0, 200)}`,
			);
	});

	test('any bytes on a line: a record of the promised shape or a reason, never an exception (property)', () => {
		const lineBytes = fc.oneof(
			fc.uint8Array({maxLength: 200}),
			hostileJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
			fc
				.record(
					{
						hook_event_name: hostileJson,
						session_id: hostileJson,
						tool_name: hostileJson,
						seq: hostileJson,
						time: hostileJson,
						type: hostileJson,
						summary: hostileJson,
						payload: hostileJson,
						mpm_spool: hostileJson,
						id: hostileJson,
						receivedAt: hostileJson,
						event: hostileJson,
					},
					{requiredKeys: []},
				)
				.map((v) => Buffer.from(JSON.stringify(v))),
		);
		fc.assert(
			fc.property(lineBytes, (bytes) => {
				const result = replayLine(bytes, 1);
				if (!result.ok) {
					assert.equal(typeof result.error, 'string');
					return;
				}
				const checked = checkRecord({...result.record, seq: result.seq ?? 1});
				assert.ok(checked.ok, checked.ok ? '' : checked.error);
			}),
			{numRuns: 3000},
		);
	});
});

describe('recordings that cannot be replayed', () => {
	test('larger than the bound: refused before it is read', async () => {
		const name = path.join(dir, 'huge.ndjson');
		writeFileSync(name, '');
		truncateSync(name, MAX_REPLAY_BYTES + 1);
		assert.match(
			await refusal(name),
			/^--replay: .*huge\.ndjson is 128\.0 MiB; recordings over 128\.0 MiB are not loaded \(replay a part: tail -n 100000 FILE > part\.ndjson\)$/,
		);
	});

	test('more lines than the bound: refused', async () => {
		assert.match(
			await refusal(file(`${record(1)}\n`.repeat(MAX_REPLAY_LINES + 1))),
			/has 500,001 lines; recordings over 500,000 are not loaded/,
		);
	});

	test('a pipe, a device, a directory, a missing file: one clear line, no waiting', async () => {
		const fifo = path.join(dir, 'fifo.ndjson');
		execFileSync('mkfifo', [fifo]);
		assert.match(
			await refusal(fifo),
			/fifo\.ndjson is not a regular file \(a pipe, device or socket cannot be replayed; save it to a file first\)/,
		);
		assert.match(await refusal('/dev/zero'), /^--replay: \/dev\/zero is not a regular file/);
		assert.match(await refusal(dir), /is a directory, not an NDJSON file$/);
		assert.match(
			await refusal(path.join(dir, 'missing\u001b]0;PWNED\u0007.ndjson')),
			/^--replay: no such file: .*missing␛\]0;PWNED␇\.ndjson$/,
		);
	});

	test('no events in it: the reasons, safe to print', async () => {
		const message = await refusal(file(`not json \u001b[2J\u009b6n\u202e\n{"hook_event_name":""}\n`));
		assert.match(
			message,
			/holds no events \(2 bad lines; line 1: not JSON \(.*; line 2: hook_event_name is empty\)$/,
		);
	});
});

describe('raw hook payloads in the monitor', () => {
	test('each event shows the time it was played and its session is active, not 00:00:00 and stale for 20,000 days', async (t) => {
		assert.ok(existsSync(cliPath), 'build first: npm run build');
		const tmux = new Tmux();
		t.after(() => tmux.kill());
		const session = '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b';
		const payloads = [
			{hook_event_name: 'SessionStart', source: 'startup'},
			{hook_event_name: 'UserPromptSubmit', prompt: 'fix the failing test'},
			{
				hook_event_name: 'PreToolUse',
				tool_name: 'Bash',
				tool_input: {command: 'npm test'},
				tool_use_id: 'toolu_raw_1',
			},
			{
				hook_event_name: 'PostToolUse',
				tool_name: 'Bash',
				tool_input: {command: 'npm test'},
				tool_response: {stdout: 'ok'},
				tool_use_id: 'toolu_raw_1',
			},
			{hook_event_name: 'Stop'},
		].map((p) =>
			JSON.stringify({session_id: session, transcript_path: '/tmp/t.jsonl', cwd: '/home/u/app', ...p}),
		);
		const name = file(`${payloads.join('\n')}\n`);
		const env = {
			CI: 'false',
			TZ: 'UTC',
			MPM_TUI_STATE_DIR: dir,
			HOME: dir,
			TERM: 'xterm-256color',
			NODE_ENV: 'production',
			PATH: process.env.PATH ?? '',
		};
		const before = Date.now();
		const pane = tmux.open('raw', [process.execPath, cliPath, '--replay', name], env, {
			columns: 120,
			rows: 20,
		});
		const screen = await pane.waitFor(
			(s) => s.includes('replay finished: 5 events'),
			'the whole replay',
			15_000,
		);
		const finished = Date.now();
		// The clock's seconds (UTC, as TZ says) while the replay ran: every row's time is one of them.
		const seconds = new Set<string>();
		for (let ms = Math.floor(before / 1000) * 1000; ms <= finished; ms += 1000)
			seconds.add(new Date(ms).toISOString().slice(11, 19));
		const times = screen.split('\n').flatMap((line) => /^[ ›](\d+) +(\d\d:\d\d:\d\d) /.exec(line)?.[2] ?? []);
		assert.equal(times.length, 5, screen);
		for (const time of times)
			assert.ok(
				seconds.has(time),
				`${time} is a time the replay ran at (${[...seconds].join(', ')})\n${screen}`,
			);

		pane.keys('5');
		const sessions = await pane.waitFor(
			(s) => s.includes('5b1e0c9a') && /^ ?state /m.test(s),
			'the Sessions tab',
		);
		const row = sessions.split('\n').find((line) => line.includes('5b1e0c9a'))!;
		assert.doesNotMatch(row, /stale|\d+d/, `the session is not days old: ${row}`);
		assert.match(row, /just now|\b\d{1,2}s\b/, `its last event was moments ago: ${row}`);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
	});
});
