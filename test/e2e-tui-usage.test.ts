/**
 * End to end in a real pseudo-terminal (tmux): the built `mpm-tui` hosts a server, the real
 * forwarder sends a session's hook events, and Claude Code's telemetry arrives as OTLP/HTTP JSON
 * POSTed to `/v1/logs`; the Usage tab shows the session's tokens, $, API time and requests, Enter
 * its prompt, and the header today's $.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {freePort} from './helpers/free-port.js';
import {cliPath, forward, forwarderPath, hookPayload, Tmux} from './helpers/tmux-kit.js';

const tmux = new Tmux();
const dirs: string[] = [];
const SESSION = '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b';

before(() => {
	if (!existsSync(cliPath) || !existsSync(forwarderPath)) throw new Error('build first: npm run build');
});

after(() => {
	tmux.kill();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const str = (key: string, value: string) => ({key, value: {stringValue: value}});
const int = (key: string, value: number) => ({key, value: {intValue: String(value)}});
const dbl = (key: string, value: number) => ({key, value: {doubleValue: value}});
const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

function logRecord(at: number, name: string, attributes: Array<{key: string; value: unknown}>): unknown {
	return {
		timeUnixNano: nanos(at),
		body: {stringValue: `claude_code.${name}`},
		attributes: [str('event.name', name), str('session.id', SESSION), ...attributes],
	};
}

describe('Usage tab in a terminal', () => {
	it("shows the telemetry POSTed to /v1/logs per session and per prompt, and today's $ in the header", async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-e2e-usage-'));
		dirs.push(dir);
		const port = await freePort();
		const env = {MPM_TUI_PORT: String(port), MPM_TUI_STATE_DIR: dir};
		const pane = tmux.open(
			'usage',
			[process.execPath, cliPath, '--port', String(port)],
			{
				CI: 'false',
				MPM_TUI_STATE_DIR: dir,
				HOME: dir,
				TERM: 'xterm-256color',
				NODE_ENV: 'production',
				PATH: process.env.PATH ?? '',
			},
			{columns: 120, rows: 24},
		);
		await pane.waitFor((s) => s.includes(`Listening on http://127.0.0.1:${port}`), 'the host');
		pane.keys('6');
		await pane.waitFor(
			(s) => s.includes('No usage yet') && s.includes('mpm-tui hooks install --telemetry'),
			'the empty Usage tab says what to set up',
		);

		forward(
			hookPayload(1, {
				hook_event_name: 'UserPromptSubmit',
				prompt: 'count the tokens',
				prompt_id: 'p-e2e',
				tool_name: undefined,
				tool_input: undefined,
				tool_use_id: undefined,
			}),
			env,
		);
		const now = Date.now();
		// Two requests of one prompt: $0.0126 + $0.5 = $0.5126 (× 6 = $3.0756 an hour); 1,200 + 300 input, 80 + 20 output, 2,000 cache read; 1.5 s + 2.5 s API time.
		const body = {
			resourceLogs: [
				{
					resource: {attributes: [str('service.name', 'claude-code')]},
					scopeLogs: [
						{
							scope: {name: 'com.anthropic.claude_code.events'},
							logRecords: [
								logRecord(now - 3000, 'user_prompt', [str('prompt.id', 'p-e2e'), int('prompt_length', 16)]),
								logRecord(now - 2000, 'api_request', [
									str('prompt.id', 'p-e2e'),
									str('request_id', 'req_e2e_1'),
									str('model', 'claude-sonnet-4-5-20250929'),
									dbl('cost_usd', 0.0126),
									int('duration_ms', 1500),
									int('input_tokens', 1200),
									int('output_tokens', 80),
									int('cache_read_tokens', 2000),
									int('cache_creation_tokens', 0),
								]),
								logRecord(now - 1000, 'api_request', [
									str('prompt.id', 'p-e2e'),
									str('request_id', 'req_e2e_2'),
									str('model', 'claude-opus-4-6'),
									dbl('cost_usd', 0.5),
									int('duration_ms', 2500),
									int('input_tokens', 300),
									int('output_tokens', 20),
									int('cache_read_tokens', 0),
									int('cache_creation_tokens', 0),
								]),
							],
						},
					],
				},
			],
		};
		const answer = await fetch(`http://127.0.0.1:${port}/v1/logs`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(body),
		});
		assert.equal(answer.status, 200, await answer.text());

		let screen = await pane.waitFor(
			(s) => s.includes('5b1e0c9a') && s.includes('$0.5126'),
			"the session's usage",
		);
		const row = pane
			.lines()
			.find((l) => l.includes('5b1e0c9a'))!
			.trim()
			.replace(/\s+/g, ' ');
		// session, cwd, in, out, cache, $ (telemetry's: no ~), $/h (× 6), api, req, err, top model.
		assert.equal(
			row.replace(/^›/, ''),
			'5b1e0c9a ~/app 1.5k 100 2.0k $0.5126 $3.08 4.0s 2 · claude-opus-4-6',
		);
		assert.match(pane.lines()[0], /\$0\.51 today/, "the header: today's $");
		for (const line of pane.lines())
			assert.ok(stringWidth(line) <= 120, `a line wider than 120: ${JSON.stringify(line)}`);

		pane.keys('Enter');
		screen = await pane.waitFor((s) => s.includes('count the tokens'), "Enter: the session's prompts");
		assert.match(screen, /▸ count the tokens +1\.5k +100 +2\.0k +\$0\.5126 +4\.0s +2 +0 +·/);
		pane.keys('Escape');
		await pane.waitFor((s) => s.includes('by $') && s.includes('$3.08'), 'Esc: back to the sessions');
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
	});
});
