import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	eventsPacketText,
	eventsPayload,
	packetRanges,
	takesPreEncodedFrames,
	webSocketTextFrame,
} from '../source/server/events-packet.js';

const ndjsonOf = (values: unknown[]) => Buffer.from(values.map((v) => `${JSON.stringify(v)}\n`).join(''));

test('packetRanges cuts whole lines, at most N per range, covering every byte', () => {
	const values = Array.from({length: 7}, (_, i) => ({i, text: 'é'.repeat(i)}));
	const ndjson = ndjsonOf(values);
	for (const per of [1, 2, 3, 7, 10]) {
		const ranges = packetRanges(ndjson, per);
		assert.equal(ranges.length, Math.ceil(7 / per), `per ${per}`);
		assert.equal(ranges[0][0], 0);
		assert.equal(ranges.at(-1)![1], ndjson.length);
		for (let r = 0; r < ranges.length; r++) {
			const [start, end] = ranges[r];
			if (r > 0) assert.equal(start, ranges[r - 1][1], 'contiguous');
			assert.equal(ndjson[end - 1], 0x0a, 'ends just after a newline');
			const lines = ndjson.toString('utf8', start, end).split('\n').filter(Boolean);
			assert.ok(lines.length <= per && lines.length > 0);
		}
	}
	assert.deepEqual(packetRanges(Buffer.alloc(0), 3), []);
});

test('eventsPayload is engine.io message 4 + socket.io EVENT packet 2["events",[…]] of exactly those lines', () => {
	const values = [{a: 1}, {b: 'line\nbreak and "quotes"'}, {c: '漢字 😀 \u2028'}, {d: []}];
	const ndjson = ndjsonOf(values);
	const [[start, end]] = packetRanges(ndjson, 10);
	const payload = eventsPayload(ndjson, start, end);
	const text = payload.toString('utf8');
	assert.ok(text.startsWith('42'));
	assert.deepEqual(JSON.parse(text.slice(2)), ['events', values]);
	assert.equal(eventsPacketText(payload), text.slice(1), 'the socket.io packet, without the engine.io type');
	// A middle range: the lines of that range only.
	const [, second] = packetRanges(ndjson, 2);
	assert.deepEqual(JSON.parse(eventsPayload(ndjson, second[0], second[1]).toString('utf8', 2)), [
		'events',
		values.slice(2),
	]);
	// The NDJSON it came from is not changed.
	assert.equal(ndjson.toString(), values.map((v) => `${JSON.stringify(v)}\n`).join(''));
});

test('webSocketTextFrame: FIN + text opcode, unmasked, with the 7-, 16- and 64-bit length forms', () => {
	for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000]) {
		const payload = Buffer.alloc(length, 0x61);
		const [header, body] = webSocketTextFrame(payload);
		assert.equal(body, payload, 'the payload itself, not a copy');
		assert.equal(header[0], 0x81);
		assert.equal(header[1] & 0x80, 0, 'not masked');
		if (length < 126) {
			assert.equal(header.length, 2);
			assert.equal(header[1], length);
		} else if (length < 65_536) {
			assert.equal(header.length, 4);
			assert.equal(header[1], 126);
			assert.equal(header.readUInt16BE(2), length);
		} else {
			assert.equal(header.length, 10);
			assert.equal(header[1], 127);
			assert.equal(Number(header.readBigUInt64BE(2)), length);
		}
	}
});

test('takesPreEncodedFrames: only a WebSocket without compression whose sender can write frames', () => {
	const sender = {sendFrame() {}};
	assert.equal(
		takesPreEncodedFrames({
			transport: {name: 'websocket', perMessageDeflate: false, socket: {_sender: sender}},
		}),
		true,
	);
	assert.equal(
		takesPreEncodedFrames({
			transport: {name: 'websocket', perMessageDeflate: {threshold: 1024}, socket: {_sender: sender}},
		}),
		false,
	);
	assert.equal(takesPreEncodedFrames({transport: {name: 'polling'}}), false);
	assert.equal(takesPreEncodedFrames({transport: {name: 'websocket', socket: {}}}), false);
	assert.equal(takesPreEncodedFrames({}), false);
});
