/**
 * How the TUI gets its events, against real servers on free loopback ports: host-or-connect,
 * the claude-mpm adapter, and the demo feed through the real pipeline.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {resolveConfig, type Config} from '../source/config.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer} from '../source/server/server.js';
import {hostOrConnect} from '../source/commands/host-or-connect.js';
import {openClaudeMpmConnection} from '../source/tui/sources/claude-mpm-link.js';
import {postSink, startDemoFeed} from '../source/tui/sources/demo-feed.js';
import {freePort} from './helpers/free-port.js';
import {hookPayload} from './helpers/tmux-kit.js';

const dirs: string[] = [];
after(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

async function config(extra: Record<string, string | number> = {}): Promise<Config> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-link-'));
	dirs.push(dir);
	return resolveConfig({port: await freePort(), ...extra}, {MPM_TUI_STATE_DIR: dir}, dir);
}

async function until<T>(get: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = get();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

describe('host or connect', () => {
	it('hosts when nothing answers, connects when mpm-tui answers', async () => {
		const c = await config();
		const first = await hostOrConnect(c, () => {});
		assert.equal(first.kind, 'host');
		try {
			const second = await hostOrConnect(c, () => {});
			assert.deepEqual(second, {kind: 'client', url: c.url, flavor: 'mpm-tui'});
		} finally {
			if (first.kind === 'host') await first.server.close();
		}
	});

	it('refuses a port held by another program, saying what answered', async () => {
		const c = await config();
		const other = http.createServer((_, res) => res.end('<html>hi</html>')).listen(c.port, '127.0.0.1');
		try {
			const link = await hostOrConnect(c, () => {});
			assert.equal(link.kind, 'error');
			assert.match(
				link.kind === 'error' ? link.message : '',
				new RegExp(
					`127\\.0\\.0\\.1:${c.port} is in use by another program \\(GET /health answered HTTP 200 with something that is not JSON\\)`,
				),
			);
		} finally {
			other.close();
		}
	});

	it('--connect never hosts', async () => {
		const c = await config();
		const forced = {...c, forcedConnect: true};
		const link = await hostOrConnect(forced, () => {});
		assert.deepEqual(link, {kind: 'client', url: c.url, flavor: 'mpm-tui'});
	});
});

describe('claude-mpm adapter', () => {
	it('turns claude-mpm category events into records', async () => {
		const c = await config();
		const server = await startServer(c);
		const got: EventRecord[] = [];
		const states: string[] = [];
		const connection = openClaudeMpmConnection(
			{url: server.url},
			{onEvents: (e) => got.push(...e), onState: (s) => states.push(s.status)},
		);
		try {
			await until(() => (states.includes('connected') ? true : undefined), 'the adapter to connect');
			server.ingest(
				[hookPayload(1), hookPayload(2, {hook_event_name: 'UserPromptSubmit', prompt: 'hello there'})],
				'hook',
			);
			await until(() => (got.length >= 2 ? true : undefined), 'two records');
			assert.equal(got[0].type, 'PreToolUse');
			assert.equal(got[0].tool, 'Bash');
			assert.equal(got[0].session, '5b1e0c9a-2f7d-4c1e-9a0b-3d2f1e4c5a6b');
			assert.match(got[0].summary, /echo step-1/);
			assert.equal(got[1].type, 'UserPromptSubmit');
			assert.deepEqual(
				got.map((r) => r.seq),
				[1, 2],
			);
		} finally {
			connection.close();
			await server.close();
		}
	});
});

describe('demo feed', () => {
	it('plays the generator into a sink at its pace', async () => {
		const payloads: Record<string, unknown>[] = [];
		const feed = startDemoFeed((p) => void payloads.push(p), {seed: 9, pace: 0.01});
		try {
			await until(() => (payloads.length >= 20 ? true : undefined), '20 demo events');
		} finally {
			feed.stop();
		}
		const count = payloads.length;
		await new Promise((r) => setTimeout(r, 100));
		assert.ok(payloads.length <= count + 1, 'stop stops it');
		assert.equal(payloads[0].hook_event_name, 'SessionStart');
	});

	it('POSTs through the real server pipeline', async () => {
		const c = await config();
		const server = await startServer(c);
		const errors: string[] = [];
		const feed = startDemoFeed(postSink(server.url, undefined), {
			seed: 4,
			pace: 0.01,
			onError: (e) => errors.push(e),
		});
		try {
			await until(() => (server.stats().events.total >= 10 ? true : undefined), '10 events at the server');
			assert.deepEqual(errors, []);
		} finally {
			feed.stop();
			await server.close();
		}
	});
});
