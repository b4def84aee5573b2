/**
 * Transcripts followed by the real server on a free loopback port: hook events (through the real
 * forwarder for one) name transcript files the tests write; the `transcript.usage` records are
 * checked at a Socket.IO client and in the journal. Files are changed the ways real ones are
 * (appended, split lines, subagents) and the ways they go wrong (truncated, rotated, a line over
 * the cap, unknown and hostile lines, gone), and paths that must not be read are named.
 * Build first (`npm run build`): one test runs the built forwarder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, test} from 'node:test';
import {startServer, type MpmServer} from '../source/server/server.js';
import {
	connect,
	collectEvents,
	connected,
	postJson,
	request,
	tempDir,
	testConfig,
} from './helpers/server-kit.js';
import {baseEnv, eventually, runForwarder, variants} from './helpers/forwarder.js';
import {assistantLine, userLine} from './helpers/transcript-kit.js';

const SESSION = 'sess-tx';
const FAST = {pollMs: 40, settleMs: 150};

interface Setup {
	server: MpmServer;
	claudeDir: string;
	transcript: string;
	journal: string;
	records: () => any[];
	logs: string[];
	hook(event: Record<string, unknown>): Promise<void>;
	stats(): Promise<any>;
}

async function setup(
	t: {after(fn: () => unknown): void},
	options: {
		transcripts?: Record<string, number>;
		env?: Record<string, string>;
		flags?: Record<string, unknown>;
	} = {},
): Promise<Setup> {
	const claudeDir = tempDir('mpm-tui-claude-');
	const projects = path.join(claudeDir, 'projects', '-repo');
	fs.mkdirSync(projects, {recursive: true});
	const transcript = path.join(projects, `${SESSION}.jsonl`);
	const config = testConfig(options.flags ?? {}, {CLAUDE_CONFIG_DIR: claudeDir, ...options.env});
	const logs: string[] = [];
	const server = await startServer(config, {
		transcripts: {...FAST, ...options.transcripts},
		log: (line) => logs.push(line),
	});
	t.after(() => server.close());
	const token = config.token;
	const auth: Record<string, string> = token === undefined ? {} : {Authorization: `Bearer ${token}`};
	const socket = connect(server.url, {client: 'mpm-tui', ...(token === undefined ? {} : {token})});
	t.after(() => socket.close());
	const events = collectEvents(socket);
	await connected(socket);
	return {
		server,
		claudeDir,
		transcript,
		journal: config.journal!,
		logs,
		records: () => events.records.filter((r) => r.type === 'transcript.usage'),
		async hook(event) {
			const answer = await postJson(
				server.url,
				'/api/events',
				{
					session_id: SESSION,
					transcript_path: transcript,
					cwd: '/repo',
					hook_event_name: 'PreToolUse',
					tool_name: 'Bash',
					tool_input: {command: `echo ${Math.random()}`},
					...event,
				},
				auth,
			);
			assert.equal(answer.status, 202, answer.text);
		},
		stats: async () => (await request(`${server.url}/api/status`, {headers: auth})).json.transcripts,
	};
}

const append = (file: string, ...lines: string[]) =>
	fs.appendFileSync(file, lines.map((l) => `${l}\n`).join(''));

async function waitRecords(s: Setup, n: number, what: string, ms = 5000): Promise<any[]> {
	return eventually(
		() => (s.records().length >= n ? s.records() : undefined),
		ms,
		`${what} (have ${s.records().length})`,
	);
}

/** Gives the follower time for several polls and settles, so that a record that should not come would have. */
const quiet = (ms = 600) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transcripts followed by the server', () => {
	test('through the real forwarder: split copies → one record with the fullest usage; a subagent file; the records in the journal', async (t) => {
		const s = await setup(t);
		// A new session: its transcript is read from the start, even once it exists.
		append(
			s.transcript,
			userLine(),
			assistantLine({messageId: 'm1', requestId: 'r1', output: 1}),
			assistantLine({
				messageId: 'm1',
				requestId: 'r1',
				output: 40,
				split: {m5: 100, h1: 200},
				cacheWrite: 300,
				cacheRead: 5000,
			}),
			assistantLine({messageId: 'm1', requestId: 'r1', output: 12}),
			'not json at all',
			JSON.stringify({type: 'progress', data: {weird: true}}),
		);
		const node = variants.find((v) => v.name === 'node')!;
		const run = await runForwarder(node, {
			env: baseEnv({MPM_TUI_PORT: String(s.server.port), MPM_TUI_STATE_DIR: tempDir()}),
			input: JSON.stringify({
				session_id: SESSION,
				transcript_path: s.transcript,
				cwd: '/repo',
				hook_event_name: 'SessionStart',
				source: 'startup',
			}),
		});
		assert.equal(run.code, 0, run.stderr);
		const [first] = await waitRecords(s, 1, 'the first usage record');
		assert.equal(first.source, 'transcript');
		assert.equal(first.session, SESSION);
		assert.equal(first.time, '2026-06-01T10:00:00.000Z');
		assert.equal(first.agentId, null);
		assert.deepEqual(
			{
				requestId: first.payload.requestId,
				messageId: first.payload.messageId,
				model: first.payload.model,
				out: first.payload.outputTokens,
				in: first.payload.inputTokens,
				w: first.payload.cacheCreationTokens,
				w5: first.payload.cacheCreation5mTokens,
				w1: first.payload.cacheCreation1hTokens,
				r: first.payload.cacheReadTokens,
				revision: first.payload.revision,
			},
			{
				requestId: 'r1',
				messageId: 'm1',
				model: 'claude-sonnet-4-5-20250929',
				out: 40,
				in: 10,
				w: 300,
				w5: 100,
				w1: 200,
				r: 5000,
				revision: 1,
			},
		);
		// sonnet 4.5: 10×3 + 40×15 + 100×3.75 + 200×6 + 5000×0.3 = 3,705 → $0.003705
		assert.ok(Math.abs(first.payload.costUSD - 0.003705) < 1e-12, String(first.payload.costUSD));
		assert.equal(first.payload.costSource, 'priced here');
		assert.match(
			first.summary,
			/claude-sonnet-4-5-20250929 {2}10 in · 40 out · 5,000 cache read · 300 cache write · \$0\.0037/,
		);

		// A subagent starts: its file appears next to the session's and is read from its start.
		await s.hook({hook_event_name: 'SubagentStart', agent_id: 'a1', agent_type: 'Explore'});
		const sub = path.join(s.transcript.slice(0, -'.jsonl'.length), 'subagents', 'agent-a1.jsonl');
		fs.mkdirSync(path.dirname(sub), {recursive: true});
		append(
			sub,
			assistantLine({messageId: 'm-sub', requestId: 'r-sub', output: 7, costUSD: 0.25, sidechain: true}),
		);
		// And the main file goes on: a sidechain replay of m1 (a /btw log) is not a new request.
		append(
			s.transcript,
			assistantLine({messageId: 'm2', requestId: 'r2', output: 3}),
			assistantLine({messageId: 'm1', requestId: 'r-replay', output: 40, sidechain: true}),
		);
		const records = await waitRecords(s, 3, 'the subagent and m2 records');
		await quiet();
		assert.equal(s.records().length, 3, JSON.stringify(s.records().map((r) => r.payload.messageId)));
		const subRecord = records.find((r) => r.payload.messageId === 'm-sub');
		assert.equal(subRecord.agentId, 'a1');
		assert.equal(subRecord.agentType, 'Explore');
		assert.equal(subRecord.payload.costUSD, 0.25);
		assert.equal(subRecord.payload.costSource, 'transcript costUSD');
		const stats = await s.stats();
		assert.equal(stats.skipped['not JSON'], undefined, 'a line without "usage" is not parsed at all');
		assert.equal(stats.sidechainReplays, 1);
		assert.ok(stats.duplicates >= 1);

		// The same records, in the same bytes' meaning, are in the journal.
		const journal = fs
			.readFileSync(s.journal, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l))
			.filter((r) => r.type === 'transcript.usage');
		assert.deepEqual(
			journal.map((r) => [r.seq, r.id, r.payload.messageId]),
			s.records().map((r) => [r.seq, r.id, r.payload.messageId]),
		);
	});

	test("a usage record's `received` is the server's clock when it took it in; the line's own time stays in `time`", async (t) => {
		const s = await setup(t);
		// A line from an hour before the record is made, so the two times cannot be mistaken.
		const lineTime = new Date(Date.now() - 3_600_000).toISOString();
		append(s.transcript, userLine(), assistantLine({messageId: 'mr', requestId: 'rr', time: lineTime}));
		const before = Date.now();
		await s.hook({hook_event_name: 'SessionStart', source: 'startup'});
		const [record] = await waitRecords(s, 1, 'the usage record');
		const after = Date.now();
		assert.equal(record.time, lineTime);
		const received = Date.parse(record.received);
		assert.ok(
			received >= before && received <= after,
			`received ${record.received} is between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`,
		);
		const line = fs
			.readFileSync(s.journal, 'utf8')
			.split('\n')
			.filter((l) => l.includes('"transcript.usage"'))
			.map((l) => JSON.parse(l));
		assert.deepEqual(
			line.map((r) => [r.time, r.received]),
			[[record.time, record.received]],
			'the journal has the same two times',
		);
	});

	test('a file that exists when first named is read from where it stands; unknown and hostile usage lines are skipped and counted', async (t) => {
		const s = await setup(t);
		append(s.transcript, assistantLine({messageId: 'old', requestId: 'r-old'}));
		await s.hook({});
		await quiet();
		assert.equal(s.records().length, 0, 'what was there before is not read');
		append(
			s.transcript,
			`{"message":{"usage":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
			'{"timestamp":"2026-06-01T10:00:00Z","__proto__":{"polluted":1},"message":{"id":"p","usage":{"input_tokens":1e400,"output_tokens":1}}}',
			'{"timestamp":"2026-06-01T10:00:00Z","message":{"id":"q","usage":{"input_tokens":1,"output_tokens":1}}, "broken',
			assistantLine({messageId: 'new', requestId: 'r-new', model: 'claude-imaginary-9'}),
		);
		const [record] = await waitRecords(s, 1, 'the new record');
		assert.equal(record.payload.messageId, 'new');
		assert.equal(record.payload.costUSD, null);
		assert.equal(record.payload.costNote, 'no price for model claude-imaginary-9');
		assert.match(record.summary, /no \$$/);
		assert.equal(({} as any).polluted, undefined);
		const stats = await s.stats();
		assert.deepEqual(stats.skipped, {'too deep': 1, 'bad usage': 1, 'not JSON': 1});
		assert.equal((await request(`${s.server.url}/health`)).status, 200);
	});

	test('--transcripts-from-start reads what was there; a price file that cannot be parsed is said once and the built-in table kept', async (t) => {
		const pricesDir = tempDir();
		const prices = path.join(pricesDir, 'prices.json');
		fs.writeFileSync(prices, '{"models": {');
		const s = await setup(t, {flags: {transcriptsFromStart: true}, env: {MPM_TUI_PRICES: prices}});
		const said = s.logs.filter((l) => l.startsWith('prices:'));
		assert.equal(said.length, 1, said.join('\n'));
		assert.ok(
			said[0].startsWith(`prices: ${prices} is not valid JSON (`) &&
				said[0].endsWith('); using the built-in price table of 2026-05-17'),
			said[0],
		);
		append(
			s.transcript,
			assistantLine({
				messageId: 'old',
				requestId: 'r-old',
				model: 'claude-opus-4-1',
				input: 100,
				output: 100,
			}),
		);
		await s.hook({});
		const [record] = await waitRecords(s, 1, 'the record of the line already there');
		// opus 4.1 built-in: 100×15 + 100×75 = 9,000 → $0.009
		assert.ok(Math.abs(record.payload.costUSD - 0.009) < 1e-12);
		assert.equal(record.payload.pricesDate, '2026-05-17');
	});

	test('a price file MPM_TUI_PRICES names but that is not there is said once; none at the default place is not', async (t) => {
		const missing = path.join(tempDir(), 'prices.json');
		const named = await setup(t, {env: {MPM_TUI_PRICES: missing}});
		assert.deepEqual(
			named.logs.filter((l) => l.startsWith('prices:')),
			[
				`prices: MPM_TUI_PRICES names ${missing}, which does not exist; using the built-in price table of 2026-05-17`,
			],
		);
		const quiet = await setup(t, {env: {XDG_CONFIG_HOME: tempDir()}});
		assert.deepEqual(
			quiet.logs.filter((l) => l.startsWith('prices:')),
			[],
		);
	});

	test('a user price file is used over the built-in table', async (t) => {
		const pricesDir = tempDir();
		const prices = path.join(pricesDir, 'prices.json');
		fs.writeFileSync(prices, JSON.stringify({models: {'claude-opus-4-1': {input: 1, output: 2}}}));
		const s = await setup(t, {flags: {transcriptsFromStart: true}, env: {MPM_TUI_PRICES: prices}});
		assert.deepEqual(
			s.logs.filter((l) => l.startsWith('prices:')),
			[],
		);
		append(
			s.transcript,
			assistantLine({
				messageId: 'old',
				requestId: 'r-old',
				model: 'claude-opus-4-1-20250805',
				input: 100,
				output: 100,
			}),
		);
		await s.hook({});
		const [record] = await waitRecords(s, 1, 'the record');
		// 100×1 + 100×2 = 300 → $0.0003
		assert.ok(Math.abs(record.payload.costUSD - 0.0003) < 1e-15, String(record.payload.costUSD));
	});

	test('truncated → read again from 0; rotated (another inode) → the new file from 0; a line over the cap is skipped; a file that is gone is dropped', async (t) => {
		const s = await setup(t, {transcripts: {maxLineBytes: 64 * 1024, chunkBytes: 16 * 1024}});
		fs.writeFileSync(s.transcript, '');
		await s.hook({});
		await quiet(200);
		append(
			s.transcript,
			assistantLine({messageId: 'a', requestId: 'ra', text: 'x'.repeat(100 * 1024)}),
			assistantLine({messageId: 'b', requestId: 'rb'}),
		);
		await waitRecords(s, 1, 'b after the long line');
		assert.deepEqual(
			s.records().map((r) => r.payload.messageId),
			['b'],
		);
		assert.equal((await s.stats()).overCap, 1);

		// Truncated and written again (shorter than before): read from 0; b again is the same record id, so not a second record.
		fs.writeFileSync(s.transcript, `${assistantLine({messageId: 'c', requestId: 'rc'})}\n`);
		await waitRecords(s, 2, 'c after the truncation');
		assert.equal((await s.stats()).truncated, 1);

		// Rotated: the old file moved away, a new one in its place.
		fs.renameSync(s.transcript, `${s.transcript}.old`);
		append(
			s.transcript,
			assistantLine({messageId: 'd', requestId: 'rd'}),
			assistantLine({messageId: 'c', requestId: 'rc'}),
		);
		await waitRecords(s, 3, 'd in the new file');
		await quiet();
		assert.deepEqual(
			s.records().map((r) => r.payload.messageId),
			['b', 'c', 'd'],
			'c read again from the new file is deduplicated',
		);
		assert.equal((await s.stats()).rotated, 1);

		fs.rmSync(s.transcript);
		await quiet(400);
		const stats = await s.stats();
		assert.equal(stats.vanished, 1);
		assert.equal(stats.files, 0);
	});

	test('a partial last line waits for its newline', async (t) => {
		const s = await setup(t);
		fs.writeFileSync(s.transcript, '');
		await s.hook({});
		await quiet(200);
		const text = assistantLine({messageId: 'half', requestId: 'rh'});
		fs.appendFileSync(s.transcript, text.slice(0, 100));
		await quiet(400);
		fs.appendFileSync(s.transcript, `${text.slice(100)}\n`);
		await waitRecords(s, 1, 'the line once whole');
		assert.equal((await s.stats()).skipped['not JSON'], undefined);
	});

	test("paths that must not be read: a link, a file outside the home and CLAUDE_CONFIG_DIR, not .jsonl, a Socket.IO client's event, a non-loopback forwarder's", async (t) => {
		const s = await setup(t, {flags: {transcriptsFromStart: true}});
		append(s.transcript, assistantLine({messageId: 'secret', requestId: 'r-secret'}));
		const link = path.join(path.dirname(s.transcript), 'link.jsonl');
		fs.symlinkSync(s.transcript, link);
		const outside = path.join(tempDir('mpm-tui-elsewhere-'), 'x.jsonl');
		fs.copyFileSync(s.transcript, outside);
		const notJsonl = path.join(path.dirname(s.transcript), 'x.json');
		fs.copyFileSync(s.transcript, notJsonl);
		for (const transcript_path of [
			link,
			outside,
			notJsonl,
			`${path.dirname(s.transcript)}/../-repo/${SESSION}.jsonl`,
			'relative/x.jsonl',
		])
			await s.hook({transcript_path, session_id: `s-${Math.random()}`});
		// A Socket.IO client's hook event naming the real file.
		const client = connect(s.server.url, {client: 'claude-mpm'});
		t.after(() => client.close());
		await connected(client);
		const ack = await client.timeout(3000).emitWithAck('claude_event', {
			session_id: SESSION,
			transcript_path: s.transcript,
			hook_event_name: 'PreToolUse',
			tool_name: 'Bash',
			tool_input: {command: 'x'},
		});
		assert.equal(ack.accepted, 1, JSON.stringify(ack));
		await quiet(800);
		assert.equal(s.records().length, 0, JSON.stringify(s.records()));
		const stats = await s.stats();
		assert.equal(
			stats.refused,
			5,
			'the link, the file outside, the one not .jsonl, the one through .., the relative one',
		);
		assert.equal(stats.files + stats.waiting, 0);
	});

	test("a forwarder that is not on this machine's loopback: its transcript_path is never read", async (t) => {
		const address = Object.values(os.networkInterfaces())
			.flat()
			.find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
		if (address === undefined) return t.skip('no non-loopback IPv4 address on this machine');
		const s = await setup(t, {flags: {transcriptsFromStart: true, host: '0.0.0.0', token: 'tok'}});
		append(s.transcript, assistantLine({messageId: 'secret', requestId: 'r-secret'}));
		const remote = await postJson(
			`http://${address}:${s.server.port}`,
			'/api/events',
			{session_id: SESSION, transcript_path: s.transcript, hook_event_name: 'PreToolUse'},
			{Authorization: 'Bearer tok'},
		);
		assert.equal(remote.status, 202, remote.text);
		await quiet(800);
		assert.equal(s.records().length, 0);
		// The same event from loopback is followed (the test would pass for a server that follows nothing otherwise).
		const local = await postJson(
			s.server.url,
			'/api/events',
			{session_id: SESSION, transcript_path: s.transcript, hook_event_name: 'PreToolUse', tool_input: {n: 2}},
			{Authorization: 'Bearer tok'},
		);
		assert.equal(local.status, 202, local.text);
		await waitRecords(s, 1, 'the record once a local forwarder names the file');
	});

	test('--no-transcripts: nothing is read', async (t) => {
		const s = await setup(t, {flags: {transcripts: false, transcriptsFromStart: true}});
		append(s.transcript, assistantLine({messageId: 'm', requestId: 'r'}));
		await s.hook({});
		await quiet();
		assert.equal(s.records().length, 0);
		assert.equal(await s.stats(), undefined);
	});
});
