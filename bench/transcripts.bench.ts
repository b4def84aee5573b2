/**
 * Transcript catch-up: the built server (`--server-only --transcripts-from-start`, journal on) is
 * told of a 100 MB transcript by a hook event and reads it from its start. Measured: seconds until
 * every request's record is made, the server's peak RSS (sampled from /proc every 20 ms) against
 * its RSS before, and the latency of POST /api/events while it catches up against before.
 * Baseline, same run, same file: a plain Node process that streams the file and JSON-parses every
 * line that mentions "usage" (what any reader of the file must at least do).
 * Run: npm run bench transcripts (builds first), or node --import tsx bench/transcripts.bench.ts.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {writeBigTranscript} from '../test/helpers/big-transcript.js';
import {fmt, median, percentile, startMpmTui} from './lib/harness.js';

const SIZE = Number(process.env.MPM_TUI_TRANSCRIPT_BENCH_MB ?? 100) * 1024 * 1024;
const claudeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-bench-claude-'));
const transcript = path.join(claudeDir, 'projects', '-repo', 'sess-big.jsonl');
fs.mkdirSync(path.dirname(transcript), {recursive: true});
const requests = writeBigTranscript(transcript, SIZE);
const bytes = fs.statSync(transcript).size;

function baseline(): number {
	const script = `const fs=require('fs');const rl=require('readline').createInterface({input:fs.createReadStream(process.argv[1])});let n=0;const t=performance.now();rl.on('line',l=>{if(l.includes('"usage"')){JSON.parse(l);n++}});rl.on('close',()=>console.log((performance.now()-t)/1000))`;
	const run = spawnSync(process.execPath, ['-e', script, transcript], {encoding: 'utf8'});
	return Number(run.stdout.trim());
}

async function postHook(port: number, body: unknown): Promise<number> {
	const started = performance.now();
	const response = await fetch(`http://127.0.0.1:${port}/api/events`, {
		method: 'POST',
		headers: {'Content-Type': 'application/json'},
		body: JSON.stringify(body),
	});
	await response.text();
	if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
	return performance.now() - started;
}

async function status(port: number): Promise<any> {
	const response = await fetch(`http://127.0.0.1:${port}/api/status`);
	return ((await response.json()) as any).transcripts;
}

process.env.CLAUDE_CONFIG_DIR = claudeDir;
const server = await startMpmTui(['--transcripts-from-start']);
try {
	let n = 0;
	const other = () => ({
		session_id: 'other',
		transcript_path: '/nowhere/x.jsonl',
		hook_event_name: 'PreToolUse',
		tool_name: 'Bash',
		tool_input: {command: `echo ${n++}`},
	});
	const before: number[] = [];
	for (let i = 0; i < 50; i++) before.push(await postHook(server.port, other()));
	const rssBefore = server.rssMb();
	let rssPeak = rssBefore;
	const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server.rssMb())), 20);
	const started = performance.now();
	await postHook(server.port, {
		session_id: 'sess-big',
		transcript_path: transcript,
		hook_event_name: 'PreToolUse',
		tool_name: 'Bash',
		tool_input: {command: 'go'},
	});
	const during: number[] = [];
	for (;;) {
		during.push(await postHook(server.port, other()));
		const stats = await status(server.port);
		if (stats.records >= requests) break;
		if (performance.now() - started > 300_000)
			throw new Error(`not caught up after 300 s: ${JSON.stringify(stats)}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	const seconds = (performance.now() - started) / 1000;
	clearInterval(sampler);
	const base = baseline();
	console.log(
		`transcript: ${fmt(bytes / 1024 / 1024)} MB, ${fmt(requests)} requests (two split assistant lines and a tool-result line each)`,
	);
	console.log(
		`catch-up: ${fmt(seconds, 2)} s (${fmt(bytes / 1024 / 1024 / seconds)} MB/s); baseline (stream + JSON.parse of usage lines, no pipeline): ${fmt(base, 2)} s; ratio ${fmt(seconds / base, 2)}×`,
	);
	console.log(
		`server RSS: ${fmt(rssBefore)} MB before, ${fmt(rssPeak)} MB at peak (+${fmt(rssPeak - rssBefore)} MB)`,
	);
	console.log(
		`POST /api/events while catching up: median ${fmt(median(during), 1)} ms, p95 ${fmt(percentile(during, 95), 1)} ms, max ${fmt(Math.max(...during), 1)} ms over ${during.length} posts; before: median ${fmt(median(before), 1)} ms, p95 ${fmt(percentile(before, 95), 1)} ms`,
	);
} finally {
	await server.stop();
	fs.rmSync(claudeDir, {recursive: true, force: true});
}
