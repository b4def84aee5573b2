/**
 * DNS rebinding (issue 11, item 13): a server on loopback without a token answers only requests
 * that name a loopback host with its own port, on every HTTP route and on every Engine.IO request
 * (polling and WebSocket). Real server on a free port, requests at the byte level (a browser
 * after rebinding sends `Host: evil.example:PORT`), and the real clients users run: curl, Node's
 * http, Python's urllib, socket.io-client, both forwarders. With a token, Host is not checked.
 * Needs the build (dist/hook/*) for the forwarders.
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import http from 'node:http';
import path from 'node:path';
import {io} from 'socket.io-client';
import {startServer, type MpmServer} from '../source/server/server.js';
import {baseEnv, runForwarder, tempDir as forwarderTemp, variants} from './helpers/forwarder.js';
import {RawConnection, rawRequest, requestText} from './helpers/raw-http.js';
import {connected, hookEvent, postJson, request, testConfig} from './helpers/server-kit.js';

const secret = `secret-prompt-${Math.random().toString(36).slice(2)}`;

/** Every route, with a body where it takes one; `ok` is the status with a loopback Host. */
const ROUTES: Array<{method: string; path: string; ok: number}> = [
	{method: 'GET', path: '/health', ok: 200},
	{method: 'GET', path: '/api/status', ok: 200},
	{method: 'GET', path: '/api/usage', ok: 200},
	{method: 'GET', path: '/api/events?since=0', ok: 200},
	{method: 'GET', path: '/api/events?since=0&format=ndjson', ok: 200},
	{method: 'POST', path: '/api/events', ok: 202},
	{method: 'POST', path: '/emit', ok: 202},
	// OTLP: past the Host check, a hook event is an export with only unknown fields, which OTLP/JSON
	// receivers must ignore: an empty export, 200.
	{method: 'POST', path: '/v1/logs', ok: 200},
	{method: 'POST', path: '/v1/metrics', ok: 200},
	{method: 'OPTIONS', path: '/api/events', ok: 204},
	{method: 'GET', path: '/no/such/endpoint', ok: 404},
	{method: 'GET', path: '/socket.io/?EIO=4&transport=polling', ok: 200},
];

function routeRequest(route: {method: string; path: string}, host: string | null, marker: string): string {
	const headers: Record<string, string> = host === null ? {} : {Host: host};
	if (route.method !== 'POST') return requestText(route.method, route.path, headers);
	return requestText(
		route.method,
		route.path,
		{...headers, 'Content-Type': 'application/json'},
		JSON.stringify(hookEvent({hook_event_name: 'Notification', message: marker})),
	);
}

async function history(server: MpmServer): Promise<any[]> {
	return (await request(`${server.url}/api/events?since=0`)).json.events;
}

describe('a loopback server without a token answers only to loopback names with its own port', () => {
	let server: MpmServer;
	let port: number;
	before(async () => {
		server = await startServer(testConfig({journal: false}));
		port = server.port;
		assert.equal(
			(
				await postJson(
					server.url,
					'/api/events',
					hookEvent({hook_event_name: 'UserPromptSubmit', prompt: secret}),
				)
			).status,
			202,
		);
	});
	after(() => server.close());

	test('every HTTP route and the Engine.IO handshake refuse Host evil.example:PORT with 421 and the reason, and take nothing in', async () => {
		for (const route of ROUTES) {
			const answer = await rawRequest(
				port,
				routeRequest(route, `evil.example:${port}`, 'from-a-rebound-page'),
			);
			assert.equal(answer.status, 421, `${route.method} ${route.path}`);
			assert.match(answer.headers['content-type'], /^application\/json/);
			assert.match(
				answer.json.error,
				/^host "evil\.example:\d+" is not allowed: this server listens on loopback without a token .*DNS rebinding/,
				`${route.method} ${route.path}`,
			);
			assert.ok(!answer.body.includes(secret));
		}
		const events = await history(server);
		assert.ok(
			!events.some((e) => e.payload.message === 'from-a-rebound-page'),
			'a refused POST took an event in',
		);
	});

	test('the same requests with the loopback Host the clients send are answered as usual', async () => {
		for (const route of ROUTES) {
			const answer = await rawRequest(port, routeRequest(route, `127.0.0.1:${port}`, 'from-loopback'));
			assert.equal(answer.status, route.ok, `${route.method} ${route.path}: ${answer.body}`);
		}
		const events = await history(server);
		assert.equal(
			events.filter((e) => e.payload.message === 'from-loopback').length,
			2,
			'POST /api/events and POST /emit',
		);
		assert.ok(events.some((e) => e.payload.prompt === secret));
	});

	test('loopback names are allowed with the server port only; look-alikes and other ports are not', async () => {
		const allowed = [
			`127.0.0.1:${port}`,
			`localhost:${port}`,
			`LocalHost:${port}`,
			`[::1]:${port}`,
			`127.8.9.10:${port}`,
		];
		const refused = [
			`127.0.0.1:${port + 1}`,
			`localhost:${port === 8080 ? 8081 : 8080}`,
			'localhost',
			'127.0.0.1',
			`127.0.0.1.evil.example:${port}`,
			`localhost.evil.example:${port}`,
			`localhost.:${port}`,
			`[::2]:${port}`,
			`[::ffff:127.0.0.1]:${port}`,
			`127.0.0.256:${port}`,
			`0.0.0.0:${port}`,
			`localhost:${port}@evil.example`,
			'',
		];
		for (const host of allowed)
			assert.equal((await rawRequest(port, requestText('GET', '/health', {Host: host}))).status, 200, host);
		for (const host of refused) {
			const answer = await rawRequest(port, requestText('GET', '/health', {Host: host}));
			assert.equal(answer.status, 421, JSON.stringify(host));
			assert.ok(
				answer.json.error.startsWith(`host ${JSON.stringify(host)} is not allowed`),
				answer.json.error,
			);
		}
	});

	test('HTTP/1.0 without a Host is answered; HTTP/1.1 without one is refused with the reason', async () => {
		const old = await rawRequest(port, 'GET /api/status HTTP/1.0\r\n\r\n');
		assert.equal(old.status, 200);
		assert.equal(typeof old.json.events.total, 'number');
		const bare = await rawRequest(port, routeRequest({method: 'GET', path: '/api/status'}, null, ''));
		assert.equal(bare.status, 400);
		assert.equal(bare.json.error, 'an HTTP/1.1 request must have a Host header');
	});

	test('a WebSocket upgrade naming another host is refused before the handshake; with the loopback Host it switches', async () => {
		const upgrade = (host: string) =>
			requestText('GET', '/socket.io/?EIO=4&transport=websocket', {
				Host: host,
				Upgrade: 'websocket',
				Connection: 'Upgrade',
				'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
				'Sec-WebSocket-Version': '13',
			});
		const evil = await RawConnection.open(port);
		await evil.write(upgrade(`evil.example:${port}`));
		const refused = await evil.response();
		assert.equal(refused.status, 421);
		assert.match(refused.json.error, /^host "evil\.example:\d+" is not allowed/);
		await evil.closed;
		const good = await RawConnection.open(port);
		await good.write(upgrade(`127.0.0.1:${port}`));
		assert.equal((await good.response()).status, 101);
		good.destroy();
	});

	test('an Engine.IO session opened with the loopback Host cannot be used under another one', async () => {
		const open = await rawRequest(
			port,
			requestText('GET', '/socket.io/?EIO=4&transport=polling', {Host: `localhost:${port}`}),
		);
		assert.equal(open.status, 200);
		const sid = JSON.parse(open.body.slice(1)).sid as string;
		const poll = await rawRequest(
			port,
			requestText('GET', `/socket.io/?EIO=4&transport=polling&sid=${sid}`, {Host: `evil.example:${port}`}),
		);
		assert.equal(poll.status, 421);
	});

	test('the clients people use get in: curl, Node http, Python urllib, socket.io-client (polling, WebSocket, upgrade)', async (t) => {
		// Asynchronously: the server runs in this process.
		const run = promisify(execFile);
		const curl = async (args: string[]) =>
			(
				await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args], {
					encoding: 'utf8',
					timeout: 10_000,
				})
			).stdout;
		assert.equal(await curl([`http://127.0.0.1:${port}/api/status`]), '200');
		assert.equal(await curl([`http://localhost:${port}/health`]), '200');
		// The issue's reproduction: the same request under a rebound name.
		assert.equal(
			await curl([`http://127.0.0.1:${port}/api/events?since=0`, '-H', `Host: evil.example:${port}`]),
			'421',
		);

		const viaNode = await new Promise<number>((resolve, reject) =>
			http
				.get(`http://localhost:${port}/api/status`, (res) => resolve(res.resume().statusCode ?? 0))
				.on('error', reject),
		);
		assert.equal(viaNode, 200);
		assert.equal((await request(`${server.url}/api/status`)).status, 200);

		const python = await run(
			'python3',
			[
				'-c',
				'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).status)',
				`http://127.0.0.1:${port}/api/status`,
			],
			{encoding: 'utf8', timeout: 10_000},
		).catch((error: Error & {code?: unknown}) => error);
		if (python instanceof Error && python.code === 'ENOENT')
			t.diagnostic('python3 is not installed: the urllib client was not tried');
		else if (python instanceof Error) throw python;
		else assert.equal(python.stdout.trim(), '200', python.stderr);

		for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']] as const) {
			const socket = io(server.url, {
				auth: {client: 'mpm-tui'},
				transports: [...transports],
				reconnection: false,
				forceNew: true,
				timeout: 3000,
			});
			await connected(socket);
			if (transports.length === 2) {
				await new Promise<void>((resolve) =>
					socket.io.engine.transport.name === 'websocket'
						? resolve()
						: socket.io.engine.once('upgrade', () => resolve()),
				);
			}
			socket.close();
		}
	});

	for (const variant of variants) {
		test(`the ${variant.name} forwarder delivers (its Host is 127.0.0.1:PORT)`, async (t) => {
			const temp = forwarderTemp(`host-${variant.name}`);
			t.after(temp.cleanup);
			const marker = `forwarded-${variant.name}-${Math.random().toString(36).slice(2)}`;
			const env = baseEnv({
				MPM_TUI_PORT: String(port),
				MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'),
				HOME: temp.dir,
			});
			const result = await runForwarder(variant, {
				env,
				input: JSON.stringify(hookEvent({hook_event_name: 'Notification', message: marker})),
			});
			assert.equal(result.code, 0);
			// The sh forwarder posts from a background subshell, after it has exited.
			const deadline = Date.now() + 5000;
			let record: any;
			while (!(record = (await history(server)).find((e) => e.payload.message === marker))) {
				assert.ok(
					Date.now() < deadline,
					`the event from the ${variant.name} forwarder did not reach the history (stderr: ${result.stderr})`,
				);
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			assert.equal(record.source, 'hook', 'delivered by its POST, not spooled and drained');
		});
	}
});

describe('with a token, the token is the protection and Host is not checked', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false, token: 'tok'}));
	});
	after(() => server.close());

	test('a foreign Host with the token is answered; without the token it is 401, not 421', async () => {
		const port = server.port;
		const withToken = await rawRequest(
			port,
			requestText('GET', '/api/events?since=0', {
				Host: `monitor.example:${port}`,
				Authorization: 'Bearer tok',
			}),
		);
		assert.equal(withToken.status, 200);
		const without = await rawRequest(
			port,
			requestText('GET', '/api/events?since=0', {Host: `evil.example:${port}`}),
		);
		assert.equal(without.status, 401);
		assert.equal(without.json.error, 'missing or wrong token');
	});
});
