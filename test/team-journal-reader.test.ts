/**
 * The team shipper's journal reader (server/team/journal-reader.ts) on real files: the lines
 * after a seq, oldest file first (`.2`, `.1`, the journal), in bounded chunks; a committed chunk
 * is not read again, through a rotation too; a line still being written is left for later.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {JournalReader} from '../source/server/team/journal-reader.js';
import {tempDir} from './helpers/server-kit.js';

const line = (seq: number) => `{"seq":${seq},"id":"e${seq}","payload":{"n":${seq}}}`;
const lines = (from: number, to: number) =>
	Array.from({length: to - from + 1}, (_, i) => `${line(from + i)}\n`).join('');

test('reads after a seq across rotated files, in chunks, and goes on from a commit', () => {
	const dir = tempDir();
	const journal = path.join(dir, 'journal.ndjson');
	fs.writeFileSync(`${journal}.2`, lines(1, 4));
	fs.writeFileSync(`${journal}.1`, lines(5, 8));
	fs.writeFileSync(journal, lines(9, 12));
	const reader = new JournalReader(journal);
	const first = reader.read(2, 5, 1 << 20);
	assert.deepEqual(
		first.lines.map((l) => l.seq),
		[3, 4, 5, 6, 7],
	);
	assert.equal(first.lines[0].line, line(3));
	reader.commit(first.end);
	const second = reader.read(7, 100, 1 << 20);
	assert.deepEqual(
		second.lines.map((l) => l.seq),
		[8, 9, 10, 11, 12],
	);
	reader.commit(second.end);
	// A rotation (the journal renamed to .1, a new one started) and a line still being written.
	fs.renameSync(`${journal}.1`, `${journal}.2`);
	fs.renameSync(journal, `${journal}.1`);
	fs.writeFileSync(journal, `${lines(13, 14)}{"seq":15,"id":"e1`);
	const third = reader.read(12, 100, 1 << 20);
	assert.deepEqual(
		third.lines.map((l) => l.seq),
		[13, 14],
	);
	reader.commit(third.end);
	fs.appendFileSync(journal, '5","payload":{}}\n');
	assert.deepEqual(
		reader.read(14, 100, 1 << 20).lines.map((l) => l.line),
		['{"seq":15,"id":"e15","payload":{}}'],
	);
});

test('a chunk not committed is read again; a byte budget ends a chunk', () => {
	const dir = tempDir();
	const journal = path.join(dir, 'journal.ndjson');
	fs.writeFileSync(journal, lines(1, 10));
	const reader = new JournalReader(journal);
	const once = reader.read(0, 100, line(1).length * 3);
	assert.deepEqual(
		once.lines.map((l) => l.seq),
		[1, 2, 3],
	);
	// Not committed (the ship failed): the same lines again.
	assert.deepEqual(
		reader.read(0, 100, line(1).length * 3).lines.map((l) => l.seq),
		[1, 2, 3],
	);
	assert.deepEqual(reader.read(10, 100, 1 << 20).lines, []);
});
