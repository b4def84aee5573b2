/**
 * Redraws the screen captures in docs/ (`npm run docs:screens`, after `npm run build`): the built
 * monitor hosts on a free port in tmux at 60×15, 80×24 and 120×40; two real-looking Claude Code
 * sessions (emoji in prompts and output, a subagent, a failure, a permission wait) are POSTed to
 * it as the forwarder would, each with its own time (X-Mpm-Received), and their API requests as
 * Claude Code's telemetry (OTLP JSON on /v1/logs); then each tab is captured.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {cliPath, repoRoot, Tmux} from '../test/helpers/tmux-kit.js';

type Payload = Record<string, unknown>;

const API = {id: '7d1e2f3a-5b6c-4d7e-8f90-a1b2c3d4e5f6', cwd: '/home/dev/shop-api'};
const WEB = {id: 'c4f00d42-9e8d-4c7b-a6f5-e4d3c2b1a098', cwd: '/home/dev/shop-web'};

function hook(session: {id: string; cwd: string}, name: string, extra: Payload = {}): Payload {
	return {
		session_id: session.id,
		transcript_path: `/home/dev/.claude/projects/${session.id}.jsonl`,
		cwd: session.cwd,
		permission_mode: 'default',
		hook_event_name: name,
		...extra,
	};
}

function call(
	session: {id: string; cwd: string},
	id: string,
	tool: string,
	input: Payload,
	response: Payload,
	durationMs: number,
	extra: Payload = {},
): Array<[number, Payload]> {
	return [
		[0, hook(session, 'PreToolUse', {tool_name: tool, tool_input: input, tool_use_id: id, ...extra})],
		[
			durationMs,
			hook(session, 'PostToolUse', {
				tool_name: tool,
				tool_input: input,
				tool_response: response,
				tool_use_id: id,
				duration_ms: durationMs,
				...extra,
			}),
		],
	];
}

/** [seconds after the start, payload], in the order Claude Code would run them. */
function script(): Array<[number, Payload]> {
	const out: Array<[number, Payload]> = [];
	let at = 0;
	const add = (gap: number, ...steps: Array<[number, Payload]>) => {
		at += gap;
		for (const [ms, payload] of steps) out.push([at + ms / 1000, payload]);
		at += Math.max(...steps.map(([ms]) => ms)) / 1000;
	};
	add(0, [0, hook(API, 'SessionStart', {source: 'startup', model: 'claude-sonnet-4-5'})]);
	add(1, [
		0,
		hook(API, 'UserPromptSubmit', {
			prompt: 'the checkout test is flaky ❌ — find why and fix it, then run the suite ✅',
		}),
	]);
	add(
		3,
		...call(
			API,
			'toolu_01Grep',
			'Grep',
			{pattern: 'retryPayment', path: 'src'},
			{mode: 'files_with_matches', filenames: ['src/payments/retry.ts'], numFiles: 1},
			180,
		),
	);
	add(
		2,
		...call(
			API,
			'toolu_01Read',
			'Read',
			{file_path: `${API.cwd}/src/payments/retry.ts`},
			{type: 'text', file: {filePath: `${API.cwd}/src/payments/retry.ts`, numLines: 88}},
			40,
		),
	);
	add(1, [0, hook(WEB, 'SessionStart', {source: 'startup', model: 'claude-sonnet-4-5'})]);
	add(1, [
		0,
		hook(WEB, 'UserPromptSubmit', {
			prompt: 'add a 🛒 badge with the item count to the header, like the design 🎨',
		}),
	]);
	add(
		2,
		...call(
			API,
			'toolu_01Task',
			'Agent',
			{
				description: 'Find flaky timers',
				prompt: 'Look for timers in the checkout tests',
				subagent_type: 'Explore',
			},
			{status: 'async_launched', agentId: 'a9f1'},
			120,
		),
	);
	add(1, [0, hook(API, 'SubagentStart', {agent_id: 'a9f1', agent_type: 'Explore'})]);
	add(
		1,
		...call(
			API,
			'toolu_01Glob',
			'Glob',
			{pattern: 'test/**/*checkout*.ts'},
			{filenames: ['test/checkout.test.ts'], numFiles: 1},
			60,
			{agent_id: 'a9f1', agent_type: 'Explore'},
		),
	);
	add(
		2,
		...call(
			WEB,
			'toolu_02Read',
			'Read',
			{file_path: `${WEB.cwd}/src/components/Header.tsx`},
			{type: 'text', file: {filePath: `${WEB.cwd}/src/components/Header.tsx`, numLines: 64}},
			35,
		),
	);
	add(
		2,
		...call(
			WEB,
			'toolu_02Edit',
			'Edit',
			{
				file_path: `${WEB.cwd}/src/components/Header.tsx`,
				old_string: '<Logo />',
				new_string: '<Logo /><CartBadge count={count} />',
			},
			{filePath: `${WEB.cwd}/src/components/Header.tsx`, structuredPatch: []},
			90,
		),
	);
	add(1, [
		0,
		hook(API, 'SubagentStop', {
			agent_id: 'a9f1',
			agent_type: 'Explore',
			last_assistant_message: 'Found it 🔍: checkout.test.ts waits on a real 500 ms timer.',
		}),
	]);
	add(
		2,
		...call(
			API,
			'toolu_01Edit',
			'Edit',
			{
				file_path: `${API.cwd}/test/checkout.test.ts`,
				old_string: 'await sleep(500)',
				new_string: 'await clock.tickAsync(500)',
			},
			{filePath: `${API.cwd}/test/checkout.test.ts`, structuredPatch: []},
			110,
		),
	);
	add(2, [
		0,
		hook(API, 'PreToolUse', {
			tool_name: 'Bash',
			tool_input: {command: 'npm test -- checkout', description: 'Run the checkout tests'},
			tool_use_id: 'toolu_01Bash',
		}),
	]);
	add(4.2, [
		0,
		hook(API, 'PostToolUseFailure', {
			tool_name: 'Bash',
			tool_input: {command: 'npm test -- checkout', description: 'Run the checkout tests'},
			tool_use_id: 'toolu_01Bash',
			error: 'Exit code 1\n❌ 1 failing: retries the payment twice',
			duration_ms: 4200,
		}),
	]);
	add(
		2,
		...call(
			API,
			'toolu_01Edit2',
			'Edit',
			{
				file_path: `${API.cwd}/src/payments/retry.ts`,
				old_string: 'attempts < 3',
				new_string: 'attempts < maxAttempts',
			},
			{filePath: `${API.cwd}/src/payments/retry.ts`, structuredPatch: []},
			95,
		),
	);
	add(
		2,
		...call(
			API,
			'toolu_01Bash2',
			'Bash',
			{command: 'npm test', description: 'Run the whole suite'},
			{stdout: '✅ 128 passing (6s)', stderr: '', interrupted: false, isImage: false},
			6100,
		),
	);
	add(1, [
		0,
		hook(WEB, 'PermissionRequest', {
			tool_name: 'Bash',
			tool_input: {command: 'npm install --save lucide-react', description: 'Add the icon package'},
		}),
	]);
	add(0.2, [
		0,
		hook(WEB, 'PreToolUse', {
			tool_name: 'Bash',
			tool_input: {command: 'npm install --save lucide-react', description: 'Add the icon package'},
			tool_use_id: 'toolu_02Bash',
		}),
	]);
	add(1, [
		0,
		hook(API, 'Stop', {
			stop_hook_active: false,
			last_assistant_message:
				'Fixed ✅: the test used a real timer; retries now honour maxAttempts. 128 passing.',
		}),
	]);
	add(6, [
		0,
		hook(WEB, 'Notification', {
			message: 'Claude needs your permission to use Bash',
			notification_type: 'permission_prompt',
		}),
	]);
	return out;
}

/** Claude Code's api_request telemetry for the script's requests: [seconds, session, model, in, out, cache read, $, ms]. */
const requests: Array<[number, {id: string}, string, number, number, number, number, number]> = [
	[2.5, API, 'claude-sonnet-4-5', 1800, 420, 21_000, 0.0191, 3100],
	[6, API, 'claude-sonnet-4-5', 2600, 610, 24_500, 0.0251, 4200],
	[9, WEB, 'claude-sonnet-4-5', 1500, 380, 18_200, 0.0157, 2700],
	[12, API, 'claude-haiku-4-5', 900, 260, 9_800, 0.0029, 1100],
	[15, WEB, 'claude-sonnet-4-5', 2100, 720, 20_400, 0.0227, 3900],
	[19, API, 'claude-sonnet-4-5', 3200, 950, 27_100, 0.0322, 5600],
	[27, API, 'claude-sonnet-4-5', 2900, 480, 29_800, 0.025, 3800],
	[31, WEB, 'claude-sonnet-4-5', 1700, 300, 22_900, 0.0149, 2400],
];

/** One OTLP/HTTP JSON logs export, as Claude Code's exporter sends it. */
function logsExport(start: number): unknown {
	const str = (key: string, value: string) => ({key, value: {stringValue: value}});
	const int = (key: string, value: number) => ({key, value: {intValue: String(value)}});
	return {
		resourceLogs: [
			{
				resource: {attributes: [str('service.name', 'claude-code'), str('service.version', '2.1.70')]},
				scopeLogs: [
					{
						scope: {name: 'com.anthropic.claude_code.events', version: '2.1.70'},
						logRecords: requests.map(([seconds, session, model, input, output, cacheRead, cost, ms], i) => ({
							timeUnixNano: `${Math.round(start + seconds * 1000)}000000`,
							body: {stringValue: 'claude_code.api_request'},
							attributes: [
								str('event.name', 'api_request'),
								str('session.id', session.id),
								str('model', model),
								int('input_tokens', input),
								int('output_tokens', output),
								int('cache_read_tokens', cacheRead),
								int('cache_creation_tokens', 0),
								{key: 'cost_usd', value: {doubleValue: cost}},
								int('duration_ms', ms),
								str('request_id', `req_screens_${i}`),
							],
						})),
					},
				],
			},
		],
	};
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

const sizes = [
	{columns: 60, rows: 15},
	{columns: 80, rows: 24},
	{columns: 120, rows: 40},
];
const tabs = ['events', 'tools', 'agents', 'files', 'sessions', 'usage'];

const state = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-screens-'));
const tmux = new Tmux();
try {
	const events = script();
	const last = events.at(-1)![0];
	// The last event 20 s before the capture: the times read as a session under way.
	const start = Date.now() - (last + 20) * 1000;
	for (const size of sizes) {
		const port = await freePort();
		const name = `s${size.columns}`;
		const pane = tmux.open(
			name,
			[process.execPath, cliPath, '--port', String(port)],
			{
				PATH: process.env.PATH ?? '',
				HOME: state,
				MPM_TUI_STATE_DIR: path.join(state, name),
				CI: 'false',
				TERM: 'xterm-256color',
				TZ: 'UTC',
			},
			size,
		);
		await pane.waitFor(
			(s) => s.includes(`127.0.0.1:${port}`) && s.includes('hosting'),
			'the monitor to host',
			15_000,
		);
		for (const [seconds, payload] of events) {
			const response = await fetch(`http://127.0.0.1:${port}/api/events`, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'X-Mpm-Received': String(Math.round(start + seconds * 1000)),
				},
				body: JSON.stringify(payload),
			});
			if (!response.ok) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
		}
		const telemetry = await fetch(`http://127.0.0.1:${port}/v1/logs`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(logsExport(start)),
		});
		if (telemetry.status !== 200)
			throw new Error(`POST /v1/logs answered ${telemetry.status}: ${await telemetry.text()}`);
		await pane.waitFor(
			(s) => new RegExp(`\\b${events.length + requests.length} ev`).test(s.split('\n')[0]),
			'every event in the header',
			15_000,
		);
		for (const [index, tab] of tabs.entries()) {
			if (size.columns < 120 && tab !== 'events' && tab !== 'tools' && tab !== 'sessions' && tab !== 'usage')
				continue;
			pane.keys(String(index + 1));
			await new Promise((resolve) => setTimeout(resolve, 600));
			const screen = pane.capture().replace(/\n+$/, '\n');
			const file = path.join(repoRoot, 'docs', `screen-${tab}-${size.columns}x${size.rows}.txt`);
			writeFileSync(file, screen);
			console.log(`wrote ${path.relative(repoRoot, file)}`);
		}
		pane.keys('q');
		await pane.waitExit();
	}
} finally {
	tmux.kill();
	rmSync(state, {recursive: true, force: true});
}
