/**
 * An event whose type makes a name Socket.IO keeps for itself (`Disconnect` → `disconnect` on
 * `/hook`, an envelope's subtype `newListener` on `/system`) is not emitted under that name on a
 * category namespace: socket.io throws on it, which stopped the rest of the flush and, from the
 * broadcast timer, ended the server. The list is checked against socket.io's own; the server with
 * real claude-mpm-style clients on `/`, `/hook` and `/system` keeps running and delivering.
 */
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import path from 'node:path';
import {after, before, test} from 'node:test';
import fc from 'fast-check';
import {io, type Socket} from 'socket.io-client';
import {SOCKET_IO_RESERVED_EVENTS, toMpmEmit} from '../source/core/claude-mpm.js';
import {normalize} from '../source/core/normalize.js';
import {startServer, type MpmServer} from '../source/server/server.js';
import {connected, postJson, request, testConfig, withTimeout} from './helpers/server-kit.js';

const require = createRequire(import.meta.url);
/** socket.io's own list (not exported by the package: read from the file its Socket uses). */
const socketIoReserved = require(path.join(path.dirname(require.resolve('socket.io')), 'socket-types.js'))
	.RESERVED_EVENTS as ReadonlySet<string>;

test("the reserved names are socket.io's own", () => {
	assert.deepEqual([...SOCKET_IO_RESERVED_EVENTS].sort(), [...socketIoReserved].sort());
});

/** The claude-mpm emit of an event, or undefined when the server would refuse the event. */
function emitOf(value: unknown) {
	const r = normalize(value, {id: 'id-1', receivedAt: '2026-11-23T10:00:00.000Z', source: 'hook'});
	return r.ok ? toMpmEmit({seq: 1, ...r.record}) : undefined;
}

test('no event type or envelope subtype becomes a reserved name on a namespace', () => {
	const names = fc.oneof(
		fc.constantFrom(
			...socketIoReserved,
			'Disconnect',
			'Disconnecting',
			'Connect',
			'ConnectError',
			'NewListener',
		),
		fc.string({minLength: 1}),
	);
	fc.assert(
		fc.property(names, fc.boolean(), (name, envelope) => {
			const emit = emitOf(
				envelope ? {type: 'x', subtype: name, data: {}} : {hook_event_name: name, session_id: 's'},
			);
			if (emit === undefined) return;
			assert.ok(
				emit.namespaceEvent === null || !socketIoReserved.has(emit.namespaceEvent),
				String(emit.namespaceEvent),
			);
			assert.ok(!socketIoReserved.has(emit.event));
		}),
		{numRuns: 500},
	);
	assert.equal(emitOf({hook_event_name: 'Disconnect', session_id: 's'})?.namespaceEvent, null);
	assert.equal(emitOf({type: 'x', subtype: 'newListener', data: {}})?.namespaceEvent, null);
	assert.equal(emitOf({hook_event_name: 'Stop', session_id: 's'})?.namespaceEvent, 'stop');
});

let server: MpmServer;
const clients: Socket[] = [];
/** [namespace, event name, body.subtype] of every emit the clients got, in order. */
const got: Array<[string, string, string]> = [];

before(async () => {
	// A long gap: the second POST is flushed from the broadcast timer, where the throw used to end the process.
	server = await startServer(testConfig({journal: false}), {broadcast: {gapMs: 60}});
	for (const nsp of ['/', '/hook', '/system']) {
		const socket = io(`${server.url}${nsp === '/' ? '' : nsp}`, {
			transports: ['websocket'],
			reconnection: false,
			forceNew: true,
		});
		socket.onAny((name: string, body: {subtype?: string}) => {
			if (name !== 'heartbeat' && name !== 'system.heartbeat') got.push([nsp, name, String(body?.subtype)]);
		});
		clients.push(socket);
		await connected(socket);
	}
});
after(async () => {
	for (const socket of clients) socket.close();
	await server.close();
});

test('events named like Socket.IO reserved events: the server keeps running and every other event is delivered', async () => {
	const first = await postJson(server.url, '/api/events', {hook_event_name: 'Stop', session_id: 's1'});
	assert.equal(first.status, 202, first.text);
	const hostile = [
		{hook_event_name: 'Disconnect', session_id: 's1'},
		{hook_event_name: 'Connect', session_id: 's1'},
		{hook_event_name: 'ConnectError', session_id: 's1'},
		{hook_event_name: 'Disconnecting', session_id: 's1'},
		{type: 'x', subtype: 'newListener', data: {}},
		{type: 'x', subtype: 'removeListener', data: {}},
		{hook_event_name: 'Notification', session_id: 's1', message: 'after them'},
	];
	const second = await postJson(server.url, '/api/events', hostile);
	assert.equal(second.status, 202, second.text);
	await withTimeout(
		(async () => {
			while (!got.some(([nsp, , subtype]) => nsp === '/hook' && subtype === 'notification'))
				await new Promise((r) => setTimeout(r, 10));
		})(),
		5000,
		'the event after the hostile ones on /hook',
	);
	const health = await request(`${server.url}/health`);
	assert.equal(health.status, 200);
	// On `/` every event came, under its category.
	assert.equal(got.filter(([nsp]) => nsp === '/').length, 1 + hostile.length);
	for (const [, name] of got) assert.ok(!socketIoReserved.has(name), name);
	// On the namespaces, the ones with a usable name.
	assert.deepEqual(
		got.filter(([nsp]) => nsp !== '/').map(([nsp, name]) => `${nsp} ${name}`),
		['/hook stop', '/hook notification'],
	);
});
