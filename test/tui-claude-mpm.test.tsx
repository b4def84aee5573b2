/**
 * The monitor connected to a claude-mpm monitor (a real Socket.IO server playing claude-mpm's,
 * helpers/claude-mpm-server.ts), with the real link and the Ink app (ink-testing-library): the
 * empty screen says what feeds that server, and `d` posts the demo in the envelope claude-mpm's
 * hook posts (`demoSinkFor`, the sink the TUI picks), which claude-mpm emits and the link brings
 * back as the hooks the demo played.
 */
import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import React from 'react';
import {takeDemo} from '../source/core/demo.js';
import type {EventRecord} from '../source/core/record.js';
import {openClaudeMpmConnection} from '../source/tui/sources/claude-mpm-link.js';
import {demoSinkFor} from '../source/commands/host-or-connect.js';
import {startDemoFeed, type DemoFeed} from '../source/tui/sources/demo-feed.js';
import {EventStore} from '../source/tui/event-store/event-store.js';
import type {Payload} from './fixtures/hook-payloads.js';
import {startClaudeMpmServer} from './helpers/claude-mpm-server.js';
import {withTimeout} from './helpers/server-kit.js';
import {pressKeys, waitForFrame} from './helpers/tui-kit.js';

const {cleanup, render} = await import('ink-testing-library');
const {App} = await import('../source/tui/app/App.js');

const closers: Array<() => unknown> = [];
after(async () => {
	cleanup();
	for (const close of closers.reverse()) await close();
});

const SEED = 11;
const COUNT = 40;

test('connected to claude-mpm: the empty screen says what feeds it, and d plays the demo through claude-mpm back onto the screen', async () => {
	const mpm = await startClaudeMpmServer();
	closers.push(() => mpm.close());
	const store = new EventStore(1000);
	store.setLink({
		status: 'connecting',
		address: mpm.url,
		attempt: 0,
		note: '(claude-mpm)',
		flavor: 'claude-mpm',
	});
	const got: EventRecord[] = [];
	const problems: string[] = [];
	const connection = openClaudeMpmConnection(
		{url: mpm.url},
		{
			onEvents: (events) => {
				got.push(...events);
				store.append(events, Date.now());
			},
			onState: (state) => store.setLink({status: state.status, attempt: state.attempt}),
			onProblem: (problem) => problems.push(problem),
		},
	);
	closers.push(() => connection.close());
	let feed: DemoFeed | undefined;
	closers.push(() => feed?.stop());
	const app = render(
		<App
			store={store}
			size={{columns: 100, rows: 24}}
			snapshotIntervalMs={0}
			defaultExportPath={() => './export.ndjson'}
			onQuit={() => {}}
			onExport={async (file) => file}
			onDemo={() => {
				feed = startDemoFeed(demoSinkFor({kind: 'client', url: mpm.url, flavor: 'claude-mpm'}, undefined), {
					seed: SEED,
					pace: 0.01,
				});
			}}
		/>,
	);

	const empty = await waitForFrame(
		app.lastFrame,
		(f) => f.includes('Connected to'),
		5000,
		'the empty screen, connected',
	);
	assert.match(empty, /\(claude-mpm\)/);
	assert.match(empty, /This is a claude-mpm monitor: claude-mpm's own hooks feed it\./);
	assert.doesNotMatch(empty, /mpm-tui hooks install/, "mpm-tui's hooks do not feed claude-mpm");
	assert.match(empty, /press d to start the demo stream/);

	await pressKeys(app, 'd');
	await withTimeout(
		(async () => {
			while (got.length < COUNT) await new Promise((r) => setTimeout(r, 10));
		})(),
		10_000,
		`${COUNT} demo events back from claude-mpm`,
	);
	feed?.stop();
	// As JSON carries them (the generator leaves some fields undefined).
	const played = takeDemo(SEED, COUNT).map((step) => JSON.parse(JSON.stringify(step.payload)) as Payload);

	// What came back through claude-mpm's emits: the hooks the demo played, in order.
	assert.deepEqual(
		got.slice(0, COUNT).map((r) => [r.type, r.tool, r.toolUseId, r.session, r.agentId]),
		played.map((p) => [
			p.hook_event_name,
			p.tool_name ?? null,
			p.tool_use_id ?? null,
			p.session_id,
			p.agent_id ?? null,
		]),
	);
	// What claude-mpm received: its hook's envelope around each payload.
	for (const [i, body] of mpm.posted.slice(0, COUNT).entries()) {
		assert.equal(body.namespace, '/');
		assert.equal(body.event, 'claude_event');
		const data = body.data as Payload;
		assert.equal(data.type, 'hook');
		assert.equal(data.hook_event_name, played[i].hook_event_name);
		assert.equal(data.source, 'mpm-tui-demo');
		assert.deepEqual(data.data, played[i]);
	}
	assert.deepEqual(problems, []);
	// What claude-mpm emitted to its clients: tool calls under tool_event, with the tool use id as
	// the correlation_id its dashboard pairs pre_tool and post_tool by.
	for (const [i, body] of mpm.bodies.slice(0, COUNT).entries()) {
		const name = played[i].hook_event_name as string;
		if (['PreToolUse', 'PostToolUse', 'PostToolUseFailure'].includes(name)) {
			assert.equal(mpm.emitted[i], 'tool_event', name);
			assert.equal(body.subtype, name === 'PreToolUse' ? 'pre_tool' : 'post_tool');
			assert.equal(body.correlation_id, played[i].tool_use_id, `${name}: correlation_id`);
		}
		assert.deepEqual(body.data, played[i]);
	}

	const shown = await waitForFrame(
		app.lastFrame,
		(f) => /\d+ events/.test(f.split('\n')[0] ?? '') && f.includes('PreToolUse') && f.includes('PostToolUse'),
		5000,
		'the demo on screen',
	);
	assert.doesNotMatch(shown, /mpm:claude_event|Subagentstart|Posttoolusefailure/);
});
