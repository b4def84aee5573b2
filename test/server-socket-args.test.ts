/**
 * What a Socket.IO client can send that JSON text cannot: binary attachments (Buffers, typed
 * arrays), and arguments of any type. Over a real connection to a real server.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import type {Socket} from 'socket.io-client';
import {startServer, type MpmServer} from '../source/server/server.js';
import {connect, connected, hookEvent, testConfig} from './helpers/server-kit.js';

const BINARY =
	'binary data (a Buffer, ArrayBuffer or typed array) is not accepted: events are JSON; send bytes as a string (base64, say)';

describe('Socket.IO arguments JSON text cannot carry', () => {
	let server: MpmServer;
	let socket: Socket;
	before(async () => {
		server = await startServer(testConfig({journal: false}));
		socket = connect(server.url);
		await connected(socket);
	});
	after(async () => {
		socket.close();
		await server.close();
	});

	test('an event holding a binary attachment is refused with the reason, stores nothing, and the next event is taken', async () => {
		const before = server.stats().events.lastSeq;
		const cases = [
			{hook_event_name: 'BigBin', session_id: 'bin', blob: Buffer.alloc(1_000_000, 0x41)},
			{hook_event_name: 'Small', session_id: 'bin', nested: {list: [1, new Uint8Array([104, 105])]}},
			{hook_event_name: 'Ab', session_id: 'bin', raw: new Uint16Array([1, 2]).buffer},
		];
		for (const event of cases) {
			const ack = await socket.timeout(5000).emitWithAck('claude_event', event);
			assert.deepEqual(ack, {
				accepted: 0,
				duplicates: 0,
				lastSeq: before,
				rejected: [{index: 0, error: BINARY}],
				error: BINARY,
			});
		}
		// A claude-mpm envelope on `emit` is held to the same rule.
		const envelope = await socket
			.timeout(5000)
			.emitWithAck('emit', {type: 'hook', subtype: 'stop', data: {b: Buffer.from('x')}});
		assert.equal(envelope.error, BINARY);
		assert.equal(server.stats().events.lastSeq, before, 'nothing was stored');
		const good = await socket.timeout(5000).emitWithAck('claude_event', hookEvent());
		assert.equal(good.accepted, 1);
		const page = await socket.timeout(5000).emitWithAck('history', {since: before});
		assert.deepEqual(
			page.events.map((r: {type: string}) => r.type),
			['PreToolUse'],
		);
	});

	test('history with an argument that is not an object is answered with an error, as other bad arguments are', async () => {
		await socket.timeout(5000).emitWithAck('claude_event', hookEvent());
		for (const bad of ['garbage', 5, null, true, [1, 2], [{since: 0}]]) {
			const ack = await socket.timeout(5000).emitWithAck('history', bad);
			assert.deepEqual(
				ack,
				{error: 'history takes an object {since, limit} (both optional)'},
				`history(${JSON.stringify(bad)})`,
			);
		}
		// The documented forms still answer: no argument, an empty object.
		const none = await socket.timeout(5000).emitWithAck('history');
		assert.ok(Array.isArray(none.events) && none.events.length > 0, 'history with no argument');
		const empty = await socket.timeout(5000).emitWithAck('history', {});
		assert.deepEqual(empty, none);
	});
});
