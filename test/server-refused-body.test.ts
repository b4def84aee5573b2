/**
 * A refused body is read to its end before the answer, for as long as its sender keeps writing
 * (source/server/body.ts discardRest): a sender that is slow to send a large body — a busy machine,
 * a slow link — still reads why it was refused. The sender runs in its own process and sleeps
 * synchronously between writes, so, like a client whose event loop is busy, it writes again
 * before it reads: had the server answered and closed mid-body, that write would fail on the
 * reset and end the socket with the answer unread ("0 bytes came").
 */
import {after, before, describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {startServer, type MpmServer} from '../source/server/server.js';
import {testConfig} from './helpers/server-kit.js';

/** Sends `size` bytes of body in `piece`-byte writes, sleeping `gapMs` before each; prints what came back. */
const SENDER = `
const net = require('node:net');
const [port, path, size, piece, gapMs] = process.argv.slice(1).map((x, i) => (i === 1 ? x : Number(x)));
const pause = new Int32Array(new SharedArrayBuffer(4));
const socket = net.connect(port, '127.0.0.1');
const chunks = [];
let sent = 0;
let reported = false;
const report = (error) => {
	if (reported) return;
	reported = true;
	const text = Buffer.concat(chunks).toString('latin1');
	process.stdout.write(JSON.stringify({head: text.split('\\r\\n')[0], body: text.slice(text.indexOf('\\r\\n\\r\\n') + 4), sent, error}));
};
socket.on('data', (chunk) => chunks.push(chunk));
socket.on('error', (error) => report(error.message));
socket.on('close', () => report(null));
socket.write('POST ' + path + ' HTTP/1.1\\r\\nHost: 127.0.0.1:' + port + '\\r\\nContent-Type: application/json\\r\\nContent-Length: ' + size + '\\r\\nConnection: close\\r\\n\\r\\n');
const next = () => {
	if (chunks.length > 0 || sent >= size || socket.destroyed) return;
	Atomics.wait(pause, 0, 0, gapMs);
	const n = Math.min(piece, size - sent);
	sent += n;
	socket.write(Buffer.alloc(n, 0x20), () => setImmediate(next));
};
next();
`;

function send(
	port: number,
	path: string,
	size: number,
	piece: number,
	gapMs: number,
): Promise<{head: string; body: string; sent: number; error: string | null}> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['-e', SENDER, String(port), path, String(size), String(piece), String(gapMs)],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			},
		);
		let out = '';
		child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
		child.on('error', reject);
		child.on('close', () => {
			try {
				resolve(JSON.parse(out));
			} catch {
				reject(new Error(`the sender printed ${JSON.stringify(out)}`));
			}
		});
	});
}

const MiB = 1024 * 1024;

describe('a refused body sent slowly', () => {
	let server: MpmServer;
	before(async () => {
		server = await startServer(testConfig({journal: false}));
	});
	after(() => server.close());

	test('a 48 MiB body written in 1 MiB pieces over ~7 s (longer than the server waits for a pause) gets its 413', async () => {
		const answer = await send(server.port, '/api/events', 48 * MiB, MiB, 150);
		assert.equal(answer.error, null, `the sender's socket failed after ${answer.sent} bytes`);
		assert.match(answer.head, /^HTTP\/1\.1 413 /);
		assert.deepEqual(JSON.parse(answer.body), {error: 'body is larger than 1048576 bytes'});
		assert.equal(answer.sent, 48 * MiB, 'the whole body was taken');
	});
});
