/**
 * Claude Code's http hooks against the real server: the request is made from the entry the
 * installer writes (its URL; its headers with `$VAR` filled only from `allowedEnvVars`, as Claude
 * Code does), with Claude Code's own headers and no `X-Mpm-Id`, over one keep-alive connection. It
 * must be recorded with its type and session, reach a real Socket.IO client, and be answered with
 * a 2xx and an empty body (Claude Code reads a JSON body as the hook's output: a decision). Our
 * forwarders' POSTs keep their JSON answer.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import type {Socket} from 'socket.io-client';
import {httpHookEntry, type HttpHookEntry} from '../source/hook/http-hook.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {collectEvents, connect, connected, testConfig} from './helpers/server-kit.js';

const TOKEN = 'tok-http-hook-test';

/** Header values with `$VAR` / `${VAR}` filled from `env` for names in allowedEnvVars, others empty: Claude Code's rule. */
function interpolated(entry: HttpHookEntry, env: Record<string, string>): Record<string, string> {
	const allowed = new Set(entry.allowedEnvVars ?? []);
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(entry.headers ?? {}))
		out[name] = value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v: string) =>
			allowed.has(v) ? (env[v] ?? '') : '',
		);
	return out;
}

interface Answer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** One POST as Claude Code makes it: Content-Type JSON, its User-Agent, the entry's headers, no X-Mpm-Id. */
function claudeCodePost(
	agent: http.Agent,
	url: string,
	headers: Record<string, string>,
	body: string,
): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					'Content-Type': 'application/json',
					'User-Agent': 'claude-cli/2.1.63 (external, cli)',
					Accept: 'application/json, text/plain, */*',
					'Content-Length': Buffer.byteLength(body),
					...headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString(),
					}),
				);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

const event = (name: string, extra: Record<string, unknown> = {}) =>
	JSON.stringify({
		session_id: 'c1a0de00-http-hook-0000-000000000001',
		transcript_path: '/home/u/.claude/projects/-home-u-app/c1a0de00.jsonl',
		cwd: '/home/u/app',
		permission_mode: 'default',
		hook_event_name: name,
		...extra,
	});

for (const withToken of [false, true]) {
	describe(`Claude Code http hooks on the real server (${withToken ? 'token set' : 'no token'})`, () => {
		let server: MpmServer;
		let socket: Socket;
		const agent = new http.Agent({keepAlive: true});
		before(async () => {
			server = await startServer(testConfig({journal: false, ...(withToken ? {token: TOKEN} : {})}));
			socket = connect(server.url, {client: 'mpm-tui', ...(withToken ? {token: TOKEN} : {})});
			await connected(socket);
		});
		after(async () => {
			socket.close();
			agent.destroy();
			await server.close();
		});

		test('recorded with its type and session, broadcast, answered 200 with an empty body', async () => {
			const entry = httpHookEntry(server.url, withToken);
			const headers = interpolated(entry, {MPM_TUI_TOKEN: TOKEN});
			const got = collectEvents(socket);
			const answers = [];
			for (const [i, name] of ['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'].entries()) {
				const extra = name.endsWith('ToolUse')
					? {tool_name: 'Bash', tool_input: {command: 'npm test'}, tool_use_id: `toolu_http_${i}`}
					: {};
				answers.push(await claudeCodePost(agent, entry.url, headers, event(name, extra)));
			}
			for (const answer of answers) {
				assert.equal(answer.status, 200, answer.body);
				assert.equal(answer.body, '', 'no body: Claude Code takes it as success with no output');
				assert.equal(answer.headers['content-length'], '0');
			}
			const records = await got.until(4);
			assert.deepEqual(
				records.map((r) => r.type),
				['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'],
			);
			for (const r of records) assert.equal(r.session, 'c1a0de00-http-hook-0000-000000000001');
			assert.equal(records[1].tool, 'Bash');
			assert.equal(new Set(records.map((r) => r.id)).size, 4, 'each gets its own id from the server');
			assert.equal(server.stats().events.total, 4);
		});

		test("a forwarder's POST (X-Mpm-Id, no marker) keeps its JSON answer", async () => {
			const answer = await claudeCodePost(
				agent,
				`${server.url}/api/events`,
				{'X-Mpm-Id': 'fwd-http-hook-test-1', ...(withToken ? {Authorization: `Bearer ${TOKEN}`} : {})},
				event('Notification'),
			);
			assert.equal(answer.status, 202);
			assert.equal((JSON.parse(answer.body) as {accepted: number}).accepted, 1);
		});

		test('a body that is no event is refused (non-2xx: Claude Code shows a hook error), never answered empty', async () => {
			const entry = httpHookEntry(server.url, withToken);
			const answer = await claudeCodePost(
				agent,
				entry.url,
				interpolated(entry, {MPM_TUI_TOKEN: TOKEN}),
				'{"not": "closed"',
			);
			assert.equal(answer.status, 400);
			assert.match(answer.body, /error/);
		});

		if (withToken) {
			test('without MPM_TUI_TOKEN in the environment the header is empty: refused 401', async () => {
				const entry = httpHookEntry(server.url, true);
				const answer = await claudeCodePost(agent, entry.url, interpolated(entry, {}), event('Stop'));
				assert.equal(answer.status, 401);
			});
		}
	});
}
