/**
 * The http transport of `hooks install` (runHooks in-process with temp places, a real server on a
 * free loopback port for "a server answers", a free port with nothing on it for "none does"):
 * the entries' shape (Claude Code's `type: http` format), the token through headers +
 * allowedEnvVars and never in the file, SessionStart kept a command hook, switching transports
 * replacing ours only, uninstall and status with mixed entries, the refusal without a server.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {resolveConfig} from '../source/config.js';
import {runHooks, type HooksContext} from '../source/commands/hooks.js';
import {httpHookEntry, isMpmTuiHttpUrl} from '../source/hook/http-hook.js';
import {findOurHooks, HOOK_EVENTS, installHooks, uninstallHooks} from '../source/hook/settings-merge.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {root, runCommand, tempDir} from './helpers/forwarder.js';

const CMD = '/usr/bin/sh /opt/mpm-tui/dist/hook/mpm-tui-hook.sh';
const BASE = 'http://127.0.0.1:8765';
const TOKEN = 'sekret-token-never-in-settings';

type Hooks = Record<string, Array<{matcher?: string; hooks: Array<Record<string, unknown>>}>>;

/** Someone else's hooks, http ones among them: one even on our server's events route, without our marker. */
const foreign = {
	model: 'opus',
	hooks: {
		PreToolUse: [
			{matcher: 'Bash', hooks: [{type: 'command', command: '/home/u/bin/guard.sh', timeout: 10}]},
			{matcher: '*', hooks: [{type: 'http', url: 'http://127.0.0.1:9000/policy', timeout: 5}]},
		],
		Stop: [{hooks: [{type: 'http', url: `${BASE}/api/events`, timeout: 3}]}],
	},
};

/** Keys Claude Code's http handler takes (type, url, headers, allowedEnvVars, timeout, statusMessage, …): ours use only these. */
const HTTP_KEYS = new Set(['type', 'url', 'headers', 'allowedEnvVars', 'timeout']);

function ourEntries(settings: {hooks?: unknown}, event: string): Array<Record<string, unknown>> {
	return ((settings.hooks as Hooks)[event] ?? [])
		.flatMap((g) => g.hooks)
		.filter((e) => (e.type === 'http' ? isMpmTuiHttpUrl(e.url) : String(e.command).includes('mpm-tui-hook')));
}

describe('installHooks with the http transport', () => {
	test('every event takes our http entry in the documented format, SessionStart keeps the command', () => {
		const http = httpHookEntry(BASE, false);
		const {settings} = installHooks(foreign, CMD, undefined, undefined, http);
		for (const {event} of HOOK_EVENTS) {
			const ours = ourEntries(settings, event);
			assert.equal(ours.length, 1, event);
			if (event === 'SessionStart') {
				assert.deepEqual(ours[0], {type: 'command', command: CMD, timeout: 5});
				continue;
			}
			assert.deepEqual(
				ours[0],
				{type: 'http', url: `${BASE}/api/events?mpm-tui=http-hook`, timeout: 2},
				event,
			);
			for (const key of Object.keys(ours[0])) assert.ok(HTTP_KEYS.has(key), `${event}: ${key}`);
			assert.ok(!('async' in ours[0]), 'http hooks are always synchronous: no async key');
		}
		// Every foreign hook stays, in its place, the lookalike on our route included.
		assert.deepEqual(uninstallHooks(settings).settings, foreign);
	});

	test('with a token: Authorization from $MPM_TUI_TOKEN through allowedEnvVars, never the token', () => {
		const entry = httpHookEntry(BASE, true);
		assert.deepEqual(entry.headers, {Authorization: 'Bearer $MPM_TUI_TOKEN'});
		assert.deepEqual(entry.allowedEnvVars, ['MPM_TUI_TOKEN']);
		assert.deepEqual(httpHookEntry(BASE, false).headers, undefined);
	});

	test('switching transports replaces ours, both ways, and nothing else', () => {
		const command = installHooks(foreign, CMD).settings;
		const http = installHooks(command, CMD, undefined, undefined, httpHookEntry(BASE, true)).settings;
		for (const {event} of HOOK_EVENTS) {
			const ours = ourEntries(http, event);
			assert.equal(ours.length, 1, event);
			assert.equal(ours[0].type, event === 'SessionStart' ? 'command' : 'http', event);
		}
		const back = installHooks(http, CMD).settings;
		assert.deepEqual(back, command);
		assert.deepEqual(uninstallHooks(http).settings, foreign);
	});

	test('findOurHooks lists http entries with their URL; uninstall removes a mixed install', () => {
		const mixed = {
			hooks: {
				...foreign.hooks,
				SessionStart: [{matcher: '*', hooks: [{type: 'command', command: CMD, timeout: 5}]}],
				Stop: [
					...foreign.hooks.Stop,
					{hooks: [{type: 'http', url: 'http://127.0.0.1:4000/api/events?mpm-tui=http-hook', timeout: 2}]},
				],
			},
		};
		const found = findOurHooks(mixed);
		assert.deepEqual(found.map((h) => [h.event, h.type, h.type === 'http' ? h.url : h.command]).sort(), [
			['SessionStart', 'command', CMD],
			['Stop', 'http', 'http://127.0.0.1:4000/api/events?mpm-tui=http-hook'],
		]);
		assert.deepEqual(uninstallHooks(mixed).settings, {hooks: foreign.hooks});
	});
});

function setup(t: {after(fn: () => void): void}) {
	const temp = tempDir('installer-http');
	t.after(temp.cleanup);
	const home = path.join(temp.dir, 'home');
	const project = path.join(temp.dir, 'project');
	mkdirSync(home);
	mkdirSync(project);
	const env: Record<string, string> = {
		PATH: process.env.PATH ?? '',
		MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'),
	};
	const run = async (
		sub: string,
		options: {transport?: string; force?: boolean; scope?: string; token?: string; port: number},
	) => {
		let out = '';
		let err = '';
		const context: HooksContext = {home, cwd: project, env, out: (s) => (out += s), err: (s) => (err += s)};
		const config = resolveConfig({port: options.port, token: options.token}, env, home);
		const code = await runHooks(config, sub, options, context);
		return {code, out, err};
	};
	return {home, project, env, run, user: path.join(home, '.claude', 'settings.json')};
}

async function liveServer(t: {after(fn: () => unknown): void}, token?: string) {
	const port = await freePort();
	const server = await startServer(
		resolveConfig(
			{port, journal: false, token},
			{MPM_TUI_STATE_DIR: tempDir('http-srv').dir},
			'/nonexistent',
		),
	);
	t.after(() => server.close());
	return port;
}

describe('hooks install --transport http, status and uninstall', () => {
	test('refused while no server answers, with the trade-off; --force installs and warns', async (t) => {
		const s = setup(t);
		const port = await freePort();
		const refused = await s.run('install', {transport: 'http', port});
		assert.equal(refused.code, 1);
		assert.match(refused.err, /needs a running server, and none answers/);
		assert.match(refused.err, /each event is lost and Claude Code shows a hook error/);
		assert.ok(!existsSync(s.user), 'nothing written');
		const forced = await s.run('install', {transport: 'http', force: true, port});
		assert.equal(forced.code, 0, forced.err);
		assert.match(forced.out, /WARNING: {3}no server answers/);
		assert.equal(ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0].type, 'http');
	});

	test('with a server answering: written; the token goes by variable, never into the file', async (t) => {
		const s = setup(t);
		const port = await liveServer(t, TOKEN);
		s.env.MPM_TUI_TOKEN = TOKEN;
		const r = await s.run('install', {transport: 'http', port, token: TOKEN});
		assert.equal(r.code, 0, r.err);
		assert.match(
			r.out,
			/transport: http: Claude Code posts each event to http:\/\/127\.0\.0\.1:\d+\/api\/events\?mpm-tui=http-hook/,
		);
		assert.match(r.out, /Trade-off: no process per event/);
		assert.doesNotMatch(r.out, /WARNING/);
		const text = readFileSync(s.user, 'utf8');
		assert.ok(!text.includes(TOKEN), 'the token is not in the settings');
		const settings = JSON.parse(text);
		const stop = ourEntries(settings, 'Stop')[0];
		assert.deepEqual(stop, {
			type: 'http',
			url: `http://127.0.0.1:${port}/api/events?mpm-tui=http-hook`,
			timeout: 2,
			headers: {Authorization: 'Bearer $MPM_TUI_TOKEN'},
			allowedEnvVars: ['MPM_TUI_TOKEN'],
		});
		assert.equal(ourEntries(settings, 'SessionStart')[0].type, 'command');
		const status = await s.run('status', {port, token: TOKEN});
		assert.match(
			status.out,
			/http: {4}http:\/\/127\.0\.0\.1:\d+\/api\/events\?mpm-tui=http-hook \(14 event\(s\), token from \$MPM_TUI_TOKEN\)/,
		);
		assert.match(status.out, /15 of 15 events hooked/);
		assert.doesNotMatch(status.out, /WARNING/);
	});

	test('status warns when http hooks are installed and their server does not answer', async (t) => {
		const s = setup(t);
		const port = await freePort();
		await s.run('install', {transport: 'http', force: true, port});
		const status = await s.run('status', {port});
		assert.match(
			status.out,
			/WARNING http hooks \(user scope\) post to http:\/\/127\.0\.0\.1:\d+, which does not answer/,
		);
		assert.match(status.out, /every event is lost and Claude Code shows a hook error/);
		// The command transport: no such warning with the server down (events are spooled).
		await s.run('install', {port});
		assert.doesNotMatch((await s.run('status', {port})).out, /WARNING http hooks/);
	});

	test('status with http hooks and the server down: the server line does not claim their events are spooled', async (t) => {
		const s = setup(t);
		const port = await freePort();
		await s.run('install', {transport: 'http', force: true, port});
		const status = await s.run('status', {port});
		const server = /^server .*$/m.exec(status.out)?.[0] ?? '';
		assert.match(
			server,
			/not answering \(nothing is listening\); the forwarders' events \(command hooks\) are spooled until it runs; the http hooks' are lost \(below\)$/,
		);
		assert.match(status.out, /WARNING http hooks \(user scope\)/);
		// Command hooks only: they are all spooled.
		await s.run('install', {port});
		assert.match(
			(await s.run('status', {port})).out,
			/^server .*not answering \(nothing is listening\); events are spooled until it runs$/m,
		);
	});

	test('the default stays command; a running server makes it say http is available and what it trades', async (t) => {
		const s = setup(t);
		const down = await s.run('install', {port: await freePort()});
		assert.doesNotMatch(down.out, /--transport http/);
		const port = await liveServer(t);
		const up = await s.run('install', {port});
		assert.match(up.out, /--transport http is available: no process per event .* each event is lost/);
		assert.equal(ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0].type, 'command');
	});

	test('switching back and uninstalling: the original file comes back byte for byte', async (t) => {
		const s = setup(t);
		const port = await liveServer(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		const original = `${JSON.stringify(foreign, null, 2)}\n`;
		writeFileSync(s.user, original);
		assert.equal((await s.run('install', {transport: 'http', port})).code, 0);
		assert.equal(ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0].type, 'http');
		assert.equal((await s.run('install', {port})).code, 0);
		assert.equal(ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0].type, 'command');
		assert.equal((await s.run('install', {transport: 'http', port})).code, 0);
		const un = await s.run('uninstall', {port});
		assert.equal(un.code, 0, un.err);
		assert.match(un.out, /restored .* byte for byte/);
		assert.equal(readFileSync(s.user, 'utf8'), original);
	});

	test('not written to the project scope; an unknown transport is a usage error', async (t) => {
		const s = setup(t);
		const port = await liveServer(t);
		const project = await s.run('install', {transport: 'http', scope: 'project', port});
		assert.equal(project.code, 1);
		assert.match(project.err, /not written to the project scope/);
		const odd = await s.run('install', {transport: 'carrier-pigeon', port});
		assert.equal(odd.code, 2);
		assert.match(odd.err, /--transport takes command or http/);
	});

	test('through the built CLI: --transport and --force reach the installer (needs the build)', async (t) => {
		const s = setup(t);
		const port = String(await freePort());
		const cli = path.join(root, 'dist', 'cli.js');
		const env = {...s.env, HOME: s.home};
		const refused = await runCommand(
			process.execPath,
			[cli, 'hooks', 'install', '--transport', 'http', '--port', port],
			{
				cwd: s.project,
				env,
			},
		);
		assert.equal(refused.code, 1, refused.stderr);
		assert.match(refused.stderr, /--transport http needs a running server/);
		const forced = await runCommand(
			process.execPath,
			[cli, 'hooks', 'install', '--transport', 'http', '--force', '--port', port],
			{cwd: s.project, env},
		);
		assert.equal(forced.code, 0, forced.stderr);
		assert.equal(ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0].type, 'http');
	});
});

describe('hooks install --transport http against a server that requires a token', () => {
	/** POSTs one event to an installed http entry the way Claude Code does: headers with `$VAR` filled from `env` for the names in allowedEnvVars. */
	async function postAs(entry: Record<string, unknown>, env: Record<string, string>): Promise<number> {
		const allowed = new Set((entry.allowedEnvVars as string[] | undefined) ?? []);
		const headers: Record<string, string> = {'content-type': 'application/json'};
		for (const [name, value] of Object.entries((entry.headers as Record<string, string> | undefined) ?? {}))
			headers[name] = value.replace(/\$([A-Z_][A-Z0-9_]*)/g, (all, v: string) =>
				allowed.has(v) && Object.hasOwn(env, v) ? env[v]! : '',
			);
		const response = await fetch(entry.url as string, {
			method: 'POST',
			headers,
			body: JSON.stringify({hook_event_name: 'Stop', session_id: `s-${Math.random()}`}),
		});
		await response.body?.cancel();
		return response.status;
	}

	test('no token in this shell: the entries carry Authorization from $MPM_TUI_TOKEN, with a warning saying what to do', async (t) => {
		const s = setup(t);
		const port = await liveServer(t, TOKEN);
		const r = await s.run('install', {transport: 'http', port});
		assert.equal(r.code, 0, r.err);
		assert.match(
			r.out,
			/WARNING: {3}the server requires a token and none is set \(GET \/api\/status answered 401\)/,
		);
		assert.match(r.out, /Start Claude Code with MPM_TUI_TOKEN set to the server's token/);
		const stop = ourEntries(JSON.parse(readFileSync(s.user, 'utf8')), 'Stop')[0];
		assert.deepEqual(stop.headers, {Authorization: 'Bearer $MPM_TUI_TOKEN'});
		assert.deepEqual(stop.allowedEnvVars, ['MPM_TUI_TOKEN']);
		// Claude Code with the token in its environment gets through; without it, 401.
		assert.equal(await postAs(stop, {MPM_TUI_TOKEN: TOKEN}), 200);
		assert.equal(await postAs(stop, {}), 401);
	});

	test('a token the server refuses: install refused (exit 1) unless --force', async (t) => {
		const s = setup(t);
		const port = await liveServer(t, TOKEN);
		const r = await s.run('install', {transport: 'http', port, token: 'not-the-token'});
		assert.equal(r.code, 1);
		assert.match(r.err, /the server refuses the token in use \(GET \/api\/status answered 401\)/);
		assert.ok(!existsSync(s.user), 'nothing written');
		const forced = await s.run('install', {transport: 'http', port, token: 'not-the-token', force: true});
		assert.equal(forced.code, 0, forced.err);
		assert.match(forced.out, /WARNING: {3}the server refuses the token in use/);
	});

	test('status: http hooks without a token warn, and the otel line names the 401, not an older server', async (t) => {
		const s = setup(t);
		const port = await liveServer(t, TOKEN);
		mkdirSync(path.dirname(s.user), {recursive: true});
		const bare = installHooks(
			{},
			CMD,
			undefined,
			undefined,
			httpHookEntry(`http://127.0.0.1:${port}`, false),
		);
		writeFileSync(s.user, JSON.stringify(bare.settings));
		const status = await s.run('status', {port});
		assert.match(
			status.out,
			/WARNING http hooks \(user scope\) post to http:\/\/127\.0\.0\.1:\d+ without a token, and the server requires one/,
		);
		assert.match(status.out, /server .*answering .*; the server requires a token and none is set/);
		assert.match(status.out, /otel {4}not known: the server requires a token and none is set/);
		assert.doesNotMatch(status.out, /older mpm-tui/);
		const withToken = await s.run('status', {port, token: TOKEN});
		assert.doesNotMatch(withToken.out, /older mpm-tui|not known/);
		assert.match(withToken.out, /WARNING http hooks .* without a token/);
	});
});
