/**
 * The two ways `events` reach mpm-tui clients: packets made from the NDJSON bytes (a pre-encoded
 * WebSocket frame, or the packet text for long-polling) and socket.io's own encoder, the fallback
 * when engine.io fails the start-up check. Both must deliver the same bytes and events to real
 * socket.io clients; the oracle is the server's journal, which holds each record's NDJSON line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {after, test} from 'node:test';
import {transports} from 'engine.io';
import type {Socket} from 'socket.io-client';
import {preEncodedFramesWork} from '../source/server/events-packet.js';
import {startServer, type MpmServer, type ServerOptions} from '../source/server/server.js';
import {connect, connected, hookEvent, request, testConfig, withTimeout} from './helpers/server-kit.js';

const sockets: Socket[] = [];
const servers: MpmServer[] = [];
after(async () => {
	for (const socket of sockets) socket.close();
	await Promise.all(servers.map((s) => s.close()));
});

/** A client that keeps the raw engine.io message of every `events` packet and the events themselves. */
async function rawClient(url: string, transport: 'websocket' | 'polling') {
	const socket = connect(url, {client: 'mpm-tui'}, {transports: [transport]});
	sockets.push(socket);
	const raw: string[] = [];
	const events: any[] = [];
	socket.on('events', (batch: any[]) => events.push(...batch));
	await connected(socket);
	socket.io.engine.on('packet', (packet: {type: string; data?: unknown}) => {
		if (packet.type === 'message' && typeof packet.data === 'string' && packet.data.startsWith('2["events"'))
			raw.push(packet.data);
	});
	return {
		raw,
		events,
		until: (n: number) =>
			withTimeout(
				(async () => {
					while (events.length < n) await new Promise((r) => setTimeout(r, 10));
				})(),
				8000,
				`${n} events`,
			),
	};
}

/** Runs a server with `options`, sends it `count` events in one NDJSON body, and returns what each client got and the journal's lines. */
async function deliver(options: ServerOptions, count: number, log: string[] = []) {
	const server = await startServer(testConfig(), {...options, log: (line) => log.push(line)});
	servers.push(server);
	const clients = [await rawClient(server.url, 'websocket'), await rawClient(server.url, 'polling')];
	const payloads = Array.from({length: count}, (_, i) =>
		hookEvent({i, text: i % 3 === 0 ? 'é 漢字 😀 "quoted" \\ back' : 'plain'}),
	);
	const answer = await request(`${server.url}/api/events`, {
		method: 'POST',
		headers: {'Content-Type': 'application/x-ndjson'},
		body: payloads.map((p) => JSON.stringify(p)).join('\n'),
	});
	assert.equal(answer.status, 202, answer.text);
	for (const c of clients) await c.until(count);
	const lines = fs.readFileSync(server.stats().journal.path!, 'utf8').split('\n').filter(Boolean);
	assert.equal(lines.length, count);
	return {server, clients, lines};
}

/** What socket.io's encoder makes of `emit('events', records)`, `maxBatch` records a packet, from the journal's lines. */
const expectedPackets = (lines: string[], maxBatch = 500) => {
	const packets: string[] = [];
	for (let i = 0; i < lines.length; i += maxBatch)
		packets.push(`2["events",[${lines.slice(i, i + maxBatch).join(',')}]]`);
	return packets;
};

test('pre-encoded packets and socket.io’s own encoder deliver the same bytes and events to WebSocket and polling clients', async () => {
	const count = 620; // more than one packet's 500 records
	const pre = await deliver({}, count);
	const fallback = await deliver({broadcast: {preEncodedFrames: false}}, count);
	assert.equal(
		pre.server.stats().broadcast!.preEncodedFrames,
		true,
		'this engine.io passes the start-up check',
	);
	assert.equal(fallback.server.stats().broadcast!.preEncodedFrames, false);
	for (const run of [pre, fallback]) {
		for (const client of run.clients) {
			assert.deepEqual(
				client.raw,
				expectedPackets(run.lines),
				'each packet is the journal’s lines, 500 a packet',
			);
			assert.deepEqual(
				client.events,
				run.lines.map((line) => JSON.parse(line)),
			);
		}
		assert.equal(run.server.stats().broadcast!.packets, 2);
	}
	const status = await request(`${fallback.server.url}/api/status`);
	assert.deepEqual(
		status.json.broadcast,
		{packets: 2, preEncodedFrames: false},
		'the outcome is in /api/status',
	);
});

test('an engine.io that no longer sends pre-encoded frames fails the start-up check, and events still arrive whole through socket.io’s encoder', async () => {
	assert.equal(preEncodedFramesWork(), true);
	const proto = transports.websocket.prototype as unknown as {
		_canSendPreEncodedFrame: (packet: unknown) => boolean;
	};
	const original = proto._canSendPreEncodedFrame;
	// What a release that dropped the undeclared option would do: encode the packet's own data (here '').
	proto._canSendPreEncodedFrame = () => false;
	try {
		assert.equal(preEncodedFramesWork(), false);
		const log: string[] = [];
		const checked = await deliver({}, 30, log);
		assert.equal(checked.server.stats().broadcast!.preEncodedFrames, false);
		assert.ok(
			log.some((line) => line.includes('pre-encoded')),
			'the server says so in its log',
		);
		// The option the first test uses takes the same path: only socket.io's encoder delivers here.
		const forced = await deliver({broadcast: {preEncodedFrames: false}}, 30);
		for (const run of [checked, forced]) {
			for (const client of run.clients) {
				assert.deepEqual(client.raw, expectedPackets(run.lines));
				assert.deepEqual(
					client.events,
					run.lines.map((line) => JSON.parse(line)),
				);
			}
		}
	} finally {
		proto._canSendPreEncodedFrame = original;
	}
});
