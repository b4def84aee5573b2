/**
 * A 100 MB transcript read from its start (`--transcripts-from-start`) by the real server: every
 * request becomes one record, ingest keeps being answered while it catches up, and memory stays
 * far below the file's size (the file is never loaded whole).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {startServer} from '../source/server/server.js';
import {hookEvent, postJson, request, tempDir, testConfig} from './helpers/server-kit.js';
import {writeBigTranscript} from './helpers/big-transcript.js';

const SIZE = 100 * 1024 * 1024;

test('100 MB transcript: caught up over many steps with ingest answered meanwhile, memory bounded', async (t) => {
	const claudeDir = tempDir('mpm-tui-claude-');
	const transcript = path.join(claudeDir, 'projects', '-repo', 'sess-big.jsonl');
	fs.mkdirSync(path.dirname(transcript), {recursive: true});
	const requests = writeBigTranscript(transcript, SIZE);
	t.after(() => fs.rmSync(transcript, {force: true}));
	const config = testConfig({transcriptsFromStart: true}, {CLAUDE_CONFIG_DIR: claudeDir});
	const server = await startServer(config, {transcripts: {pollMs: 200, settleMs: 200}});
	t.after(() => server.close());
	const post = async () => {
		const started = performance.now();
		const answer = await postJson(server.url, '/api/events', hookEvent({session_id: 'other'}));
		assert.equal(answer.status, 202);
		return performance.now() - started;
	};
	const baseline: number[] = [];
	for (let i = 0; i < 20; i++) baseline.push(await post());
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let rssPeak = rssBefore;
	const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
	t.after(() => clearInterval(sampler));

	// The server runs in this process: the event loop's longest stall is the longest any request waited for it.
	const loop = monitorEventLoopDelay({resolution: 10});
	loop.enable();
	const started = performance.now();
	const answer = await postJson(
		server.url,
		'/api/events',
		hookEvent({session_id: 'sess-big', transcript_path: transcript}),
	);
	assert.equal(answer.status, 202);
	const during: number[] = [];
	let stats: any;
	for (;;) {
		during.push(await post());
		stats = (await request(`${server.url}/api/status`)).json.transcripts;
		if (stats.records >= requests) break;
		assert.ok(
			performance.now() - started < 120_000,
			`caught up within 120 s (${stats.records} of ${requests} records, ${stats.bytes} bytes)`,
		);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	const seconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	loop.disable();
	const stall = loop.max / 1e6;
	const sorted = [...during].sort((a, b) => a - b);
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	const p95 = sorted[Math.floor(sorted.length * 0.95)];
	const growth = (rssPeak - rssBefore) / 1024 / 1024;
	t.diagnostic(
		`${requests} requests, ${(SIZE / 1024 / 1024).toFixed(0)} MB caught up in ${seconds.toFixed(1)} s; ingest latency while catching up: median ${median(during).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (${during.length} posts; before: median ${median(baseline).toFixed(1)} ms); RSS growth at peak ${growth.toFixed(0)} MB; longest event-loop stall ${stall.toFixed(0)} ms`,
	);
	assert.equal(stats.records, requests, 'one record per request');
	assert.equal(stats.bytes, fs.statSync(transcript).size);
	// In the journal: one record per request, each with the fuller of its two split copies.
	await server.close();
	const usage = fs
		.readFileSync(config.journal!, 'utf8')
		.split('\n')
		.filter((l) => l.includes('"transcript.usage"'))
		.map((l) => JSON.parse(l));
	assert.equal(usage.length, requests);
	assert.equal(new Set(usage.map((r) => r.payload.requestId)).size, requests);
	assert.ok(usage.every((r) => r.payload.outputTokens === 321));
	assert.ok(during.length >= 10, `ingest was answered many times while catching up (${during.length})`);
	assert.ok(stall < 500, `the event loop stalled ${stall.toFixed(0)} ms at most while catching up`);
	assert.ok(p95 < 250, `p95 ingest latency while catching up ${p95.toFixed(1)} ms`);
	assert.ok(growth < 100, `RSS grew ${growth.toFixed(0)} MB while reading a 100 MB file`);
});
