import assert from 'node:assert/strict';
import {Writable} from 'node:stream';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {test} from 'node:test';
import {NdjsonWriter} from '../source/client/ndjson-writer.js';

/** A stream that keeps what it is given; `accept: false` makes it report backpressure (never drains). */
function sink(accept = true): {stream: Writable; text: () => string} {
	const chunks: string[] = [];
	const stream = new Writable({
		highWaterMark: accept ? 1 << 30 : 1,
		write(chunk: Buffer, _encoding, callback) {
			chunks.push(chunk.toString());
			if (accept) callback();
		},
	});
	return {stream, text: () => chunks.join('')};
}

/** What the pipeline hands the writer along with the lines: their NDJSON bytes. */
const ndjsonBytes = (lines: string[]) => Buffer.from(lines.map((line) => `${line}\n`).join(''));

const batch = (from: number, n: number) =>
	Array.from({length: n}, (_, i) => JSON.stringify({n: from + i, pad: 'x'.repeat(20)}));

test('a batch written with its NDJSON bytes gives the same bytes as written line by line', async () => {
	const a = sink();
	const b = sink();
	const byLine = new NdjsonWriter(a.stream);
	const byText = new NdjsonWriter(b.stream);
	for (const lines of [batch(0, 3), batch(3, 1), batch(4, 5)]) {
		byLine.writeLines(lines);
		byText.writeNdjson(ndjsonBytes(lines));
	}
	await nextTurn();
	await Promise.all([byLine.end(), byText.end()]);
	assert.equal(b.text(), a.text());
	assert.equal(a.text().split('\n').length, 10);
});

test('with a stalled reader the same lines are kept and dropped either way', async () => {
	for (const maxBuffered of [0, 30, 100, 150, 250]) {
		const a = sink(false);
		const b = sink(false);
		const byLine = new NdjsonWriter(a.stream, {maxBuffered});
		const byText = new NdjsonWriter(b.stream, {maxBuffered});
		// The first flush goes to the stream, which then stalls; later batches pile up in the writer.
		for (const lines of [batch(0, 1), batch(1, 4), batch(5, 3), batch(8, 6)]) {
			byLine.writeLines(lines);
			byText.writeNdjson(ndjsonBytes(lines));
			await nextTurn();
		}
		assert.ok(byLine.dropped > 0, `some lines dropped at maxBuffered ${maxBuffered}`);
		assert.equal(byText.dropped, byLine.dropped, `maxBuffered ${maxBuffered}`);
	}
});

/** A stream each write of which fails with `code` (as a file on a full disk fails with ENOSPC). */
function failing(code: string): Writable {
	return new Writable({
		write(_chunk, _encoding, callback) {
			setImmediate(() => callback(Object.assign(new Error(`${code}: the write failed`), {code})));
		},
	});
}

test('the reader gone (EPIPE) closes quietly; any other write error is handed on as the fault', async () => {
	for (const [code, fault] of [
		['EPIPE', false],
		['ENOSPC', true],
		['EIO', true],
	] as const) {
		const closed: Array<Error | undefined> = [];
		const writer = new NdjsonWriter(
			failing(code).on('error', () => {}),
			{onClosed: (e) => closed.push(e)},
		);
		writer.writeLines(batch(0, 2));
		await writer.end();
		assert.equal(closed.length, 1, `${code}: onClosed once`);
		if (fault) assert.equal((closed[0] as NodeJS.ErrnoException).code, code);
		else assert.equal(closed[0], undefined, `${code}: no fault`);
		assert.ok(writer.isClosed);
	}
});

test('a fault in the last writes reaches onClosed before end() resolves', async () => {
	let fault: Error | undefined;
	const writer = new NdjsonWriter(
		failing('ENOSPC').on('error', () => {}),
		{onClosed: (e) => (fault = e)},
	);
	writer.writeLines(batch(0, 3));
	await writer.end();
	assert.equal((fault as NodeJS.ErrnoException | undefined)?.code, 'ENOSPC');
});
