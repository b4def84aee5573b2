/**
 * The `events` packet for mpm-tui clients, made from a batch's NDJSON bytes instead of from the
 * records: `42["events",[line,line,…]]` (engine.io's message type `4`, then socket.io's EVENT
 * packet `2[…]`) is the NDJSON with its newlines turned into commas, between a fixed prefix and
 * suffix. For a WebSocket the payload is then wrapped in a frame header once and the same frame is
 * handed to every client (engine.io's `wsPreEncodedFrame`, which socket.io's own broadcasts use).
 */
import {transports} from 'engine.io';

const PREFIX = Buffer.from('42["events",[');
const SUFFIX = Buffer.from(']]');
const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * [start, end) byte ranges of `ndjson` holding at most `perPacket` lines each; every range ends
 * just after a newline. `ndjson` must be whole lines (it ends with a newline).
 */
export function packetRanges(ndjson: Uint8Array, perPacket: number): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	let start = 0;
	let lines = 0;
	const bytes = Buffer.from(ndjson.buffer, ndjson.byteOffset, ndjson.byteLength);
	for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) {
		if (++lines === perPacket) {
			ranges.push([start, i + 1]);
			start = i + 1;
			lines = 0;
		}
	}
	if (start < bytes.length) ranges.push([start, bytes.length]);
	return ranges;
}

/**
 * The engine.io message `42["events",[…]]` for the lines in ndjson[start, end): the bytes are
 * copied once and each line-ending newline becomes the comma between array items. (Lines never
 * contain a raw newline and no UTF-8 sequence contains the byte 0x0a, so every 0x0a is a line end.)
 */
export function eventsPayload(ndjson: Uint8Array, start: number, end: number): Buffer {
	const body = end - start - 1; // without the last newline
	const out = Buffer.allocUnsafe(PREFIX.length + body + SUFFIX.length);
	PREFIX.copy(out, 0);
	out.set(ndjson.subarray(start, end - 1), PREFIX.length);
	SUFFIX.copy(out, PREFIX.length + body);
	for (let i = out.indexOf(NEWLINE, PREFIX.length); i !== -1; i = out.indexOf(NEWLINE, i + 1)) out[i] = COMMA;
	return out;
}

/** The socket.io packet text (`2["events",[…]]`, without engine.io's `4`) of a payload, for transports that take text. */
export function eventsPacketText(payload: Buffer): string {
	return payload.toString('utf8', 1);
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2) carrying `payload`: [header, payload]. */
export function webSocketTextFrame(payload: Buffer): Buffer[] {
	const length = payload.length;
	let header: Buffer;
	if (length < 126) {
		header = Buffer.from([0x81, length]);
	} else if (length < 0x10000) {
		header = Buffer.from([0x81, 126, length >> 8, length & 0xff]);
	} else {
		header = Buffer.alloc(10);
		header[0] = 0x81;
		header[1] = 127;
		header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
		header.writeUInt32BE(length >>> 0, 6);
	}
	return [header, payload];
}

/** What engine.io checks before writing a pre-encoded frame (its `_canSendPreEncodedFrame`), on a socket's current transport. */
interface EngineConnection {
	transport?: {name?: string; perMessageDeflate?: unknown; socket?: {_sender?: {sendFrame?: unknown}}};
}

/**
 * True when engine.io will write a `wsPreEncodedFrame` as is for this connection: a WebSocket
 * without per-message compression. Otherwise (long-polling, or compression on) engine.io would
 * encode the packet's text, so that is what such a connection must be given.
 */
export function takesPreEncodedFrames(conn: unknown): boolean {
	const transport = (conn as EngineConnection).transport;
	return (
		transport?.name === 'websocket' &&
		!transport.perMessageDeflate &&
		typeof transport.socket?._sender?.sendFrame === 'function'
	);
}

/**
 * Whether this engine.io writes a `wsPreEncodedFrame` as is — an option it reads but does not
 * declare, so a release could drop or change it, and then a packet written as `''` plus a frame
 * would go out empty. Checked once at start-up on engine.io's own WebSocket transport code: its
 * `send` is run on a probe whose WebSocket sender and packet encoder only record what they are
 * given, with one packet carrying a frame; the frame must reach the sender as is and nothing be
 * encoded. When it does not, the broadcast lets socket.io encode `events` itself.
 */
export function preEncodedFramesWork(): boolean {
	try {
		const frame = webSocketTextFrame(Buffer.from('42["events",[]]'));
		const sent: unknown[] = [];
		const encoded: unknown[] = [];
		const noop = () => {};
		const probe = Object.create(transports.websocket.prototype) as {send(packets: unknown[]): void};
		Object.assign(probe, {
			perMessageDeflate: false,
			supportsBinary: true,
			socket: {_sender: {sendFrame: (data: unknown) => sent.push(data)}},
			parser: {encodePacket: (packet: unknown) => encoded.push(packet)},
			_onSent: noop,
			_onSentLast: noop,
			_doSend: noop,
			_doSendLast: noop,
		});
		probe.send([{type: 'message', data: '', options: {wsPreEncodedFrame: frame}}]);
		return sent.length === 1 && sent[0] === frame && encoded.length === 0;
	} catch {
		return false;
	}
}
