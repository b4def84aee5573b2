import assert from 'node:assert/strict';
import fs from 'node:fs';
import {describe, test} from 'node:test';
import {startServer} from '../source/server/server.js';
import {hookEvent, postJson, request, tempDir, testConfig, withTimeout} from './helpers/server-kit.js';

const spoolLine = (id: string, event: unknown, receivedAt = 1_700_000_000_000) => JSON.stringify({mpm_spool: 1, id, receivedAt, event}) + '\n';

/** Waits until the server holds `n` events (a spool written a moment ago is read once it has settled, ~0.3 s). */
async function eventsOnceDrained(url: string, n: number): Promise<any> {
	return withTimeout(
		(async () => {
			for (;;) {
				const page = await request(`${url}/api/events?since=0`);
				if (page.json.events.length >= n) return page;
				await new Promise(r => setTimeout(r, 20));
			}
		})(),
		4000,
		`${n} events from the spool`,
	);
}

describe('spool drain', () => {
	test('every spooled event appears exactly once, with its own id and time, including one already delivered', async () => {
		const dir = tempDir();
		const config = testConfig({}, {}, dir);
		// One event was delivered (the forwarder timed out, but the server had it) before a restart...
		const first = await startServer(config);
		const delivered = hookEvent({tool_input: {command: 'delivered'}});
		assert.equal((await postJson(first.url, '/api/events', delivered, {'X-Mpm-Id': 'spool-a'})).status, 202);
		await first.close();
		// ...and was spooled as well, with three more while the server was down.
		const others = [hookEvent(), hookEvent(), hookEvent()];
		fs.writeFileSync(config.spool, spoolLine('spool-a', delivered) + others.map((e, i) => spoolLine(`spool-${i}`, e, 1_700_000_000_000 + i)).join('') + 'garbage line\n');
		const second = await startServer(config);
		try {
			const page = await eventsOnceDrained(second.url, 4);
			const ids = page.json.events.map((e: any) => e.id);
			assert.deepEqual(ids, ['spool-a', 'spool-0', 'spool-1', 'spool-2']);
			assert.equal(page.json.events[2].time, new Date(1_700_000_000_001).toISOString());
			assert.equal(page.json.events[2].source, 'spool');
			assert.equal(page.json.events[2].payload.tool_use_id, others[1].tool_use_id);
			assert.ok(!fs.existsSync(config.spool), 'the spool is deleted once drained');
			assert.deepEqual(
				fs.readdirSync(dir).filter(f => f.includes('spool')),
				[],
			);
			const stats = second.stats();
			assert.equal(stats.spool.drained, 3);
			assert.equal(stats.spool.backlogBytes, 0);
		} finally {
			await second.close();
		}
	});

	test('a spool written while the server runs is drained within a few seconds', async () => {
		const config = testConfig({journal: false});
		const server = await startServer(config, {spoolIntervalMs: 200});
		try {
			fs.writeFileSync(config.spool, spoolLine('live-1', hookEvent()) + spoolLine('live-2', hookEvent()));
			await withTimeout(
				(async () => {
					while (server.stats().events.total < 2) await new Promise(r => setTimeout(r, 20));
				})(),
				4000,
				'the spool to be drained',
			);
			// A second drain of the same ids (e.g. a leftover file) adds nothing.
			fs.writeFileSync(config.spool, spoolLine('live-1', hookEvent()));
			await withTimeout(
				(async () => {
					while (server.stats().duplicates < 1) await new Promise(r => setTimeout(r, 20));
				})(),
				4000,
				'the second drain',
			);
			assert.ok(!fs.existsSync(config.spool), 'the spool was taken');
			assert.equal(server.stats().events.total, 2);
			assert.ok(server.stats().duplicates >= 1);
		} finally {
			await server.close();
		}
	});

	test('a taken spool file still being written is read only once it has settled: a line completed late is not lost', async () => {
		const config = testConfig({journal: false});
		const server = await startServer(config, {spoolIntervalMs: 5});
		try {
			// A forwarder opened the spool and has written half of its line when the server takes it...
			const line = spoolLine('late-1', hookEvent({tool_input: {command: 'x'.repeat(50_000)}}));
			const fd = fs.openSync(config.spool, 'a');
			fs.writeSync(fd, line.slice(0, 20_000));
			await new Promise(r => setTimeout(r, 100));
			assert.ok(!fs.existsSync(config.spool), 'the server took the spool');
			// ...and finishes it through its open descriptor, into the file the server renamed.
			fs.writeSync(fd, line.slice(20_000));
			fs.closeSync(fd);
			const page = await eventsOnceDrained(server.url, 1);
			assert.deepEqual(
				page.json.events.map((e: any) => e.id),
				['late-1'],
			);
			assert.equal(server.stats().rejected, 0, 'no half line was read');
		} finally {
			await server.close();
		}
	});

	test('a draining file left by a dead server is picked up', async () => {
		const config = testConfig({journal: false});
		fs.writeFileSync(`${config.spool}.draining-999999`, spoolLine('orphan-1', hookEvent()));
		const server = await startServer(config);
		try {
			const page = await eventsOnceDrained(server.url, 1);
			assert.deepEqual(
				page.json.events.map((e: any) => e.id),
				['orphan-1'],
			);
		} finally {
			await server.close();
		}
	});
});
