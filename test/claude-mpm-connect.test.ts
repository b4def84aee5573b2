/**
 * `--connect` to a claude-mpm monitor: a real Socket.IO server plays claude-mpm's (it emits what
 * server.py emits for each POST /api/events, helpers/claude-mpm-server.ts), and mpm-tui's clients
 * (the TUI's claude-mpm link and the general connection) turn what they get into records that name
 * the hook that happened, whichever category claude-mpm filed it under.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {resolveConfig} from '../source/config.js';
import {openConnection, type ConnectionHandlers, type ConnectionState} from '../source/client/connection.js';
import type {EventRecord} from '../source/core/record.js';
import {hostOrConnect} from '../source/commands/host-or-connect.js';
import {openClaudeMpmConnection} from '../source/tui/sources/claude-mpm-link.js';
import {fastHookBody} from './fixtures/claude-mpm-wire.js';
import {hookEvents, type Payload} from './fixtures/hook-payloads.js';
import {startClaudeMpmServer, type ClaudeMpmServer} from './helpers/claude-mpm-server.js';
import {postJson, tempDir, withTimeout} from './helpers/server-kit.js';

let mpm: ClaudeMpmServer;
before(async () => {
	mpm = await startClaudeMpmServer();
});
after(async () => {
	await mpm.close();
});

function recorder() {
	const events: EventRecord[] = [];
	const states: ConnectionState[] = [];
	const problems: string[] = [];
	const handlers: ConnectionHandlers = {
		onEvents: (e) => events.push(...e),
		onState: (s) => states.push(s),
		onProblem: (p) => problems.push(p),
	};
	const until = async (check: () => boolean, what: string) =>
		withTimeout(
			(async () => {
				while (!check()) await new Promise((r) => setTimeout(r, 10));
			})(),
			5000,
			what,
		);
	return {events, states, problems, handlers, until};
}

/** Every hook event, posted to claude-mpm as its claude-hook-fast.sh does. */
const fastHookEvents = Object.entries(hookEvents).filter(
	([, payload]) => fastHookBody(JSON.stringify(payload), new Date()) !== null,
);

async function postAll(bodies: string[]): Promise<void> {
	for (const body of bodies) {
		const answer = await postJson(mpm.url, '/api/events', body);
		assert.equal(answer.status, 204, answer.text);
	}
}

test('the monitor finds claude-mpm at the address and, with --connect, connects as its client', async () => {
	const dir = tempDir();
	const config = resolveConfig({port: mpm.port}, {MPM_TUI_STATE_DIR: dir}, dir);
	assert.deepEqual(await hostOrConnect(config, () => {}), {
		kind: 'client',
		url: config.url,
		flavor: 'claude-mpm',
	});
	assert.deepEqual(await hostOrConnect({...config, forcedConnect: true}, () => {}), {
		kind: 'client',
		url: config.url,
		flavor: 'claude-mpm',
	});
});

describe("the TUI's claude-mpm link", () => {
	test("every hook event claude-hook-fast.sh sends is the hook's own type, with its tool, tool use id, session, agent and time", async () => {
		const r = recorder();
		const link = openClaudeMpmConnection({url: mpm.url}, r.handlers);
		try {
			await r.until(() => r.states.at(-1)?.status === 'connected', 'connected');
			const at = new Date('2026-03-04T05:06:07.000Z');
			await postAll(fastHookEvents.map(([, payload]) => fastHookBody(JSON.stringify(payload), at)!));
			await r.until(() => r.events.length >= fastHookEvents.length, 'every event');
			assert.deepEqual(r.problems, []);
			assert.deepEqual(
				r.events.map((e) => [e.type, e.tool, e.toolUseId, e.session, e.agentId]),
				fastHookEvents.map(([name, p]) => [
					name,
					p.tool_name ?? null,
					p.tool_use_id ?? null,
					p.session_id,
					p.agent_id ?? null,
				]),
			);
			assert.deepEqual(
				r.events.map((e) => e.seq),
				fastHookEvents.map((_, i) => i + 1),
				'numbered locally',
			);
			for (const e of r.events) {
				assert.equal(e.time, '2026-03-04T05:06:07.000Z', `${e.type}: the source's time`);
				assert.ok(Date.parse(e.received) > Date.parse(e.time), `${e.type}: received when it came`);
			}
		} finally {
			link.close();
		}
	});

	test('events from other hooks, which claude-mpm files as claude_event, are named by their hook_event_name', async () => {
		const r = recorder();
		const link = openClaudeMpmConnection({url: mpm.url}, r.handlers);
		try {
			await r.until(() => r.states.at(-1)?.status === 'connected', 'connected');
			const payloads: Payload[] = [
				hookEvents.SubagentStart,
				hookEvents.PostToolUseFailure,
				hookEvents.SessionEnd,
				hookEvents.PermissionRequest,
			];
			// Another program's hook posting the payload in claude-mpm's {event, data} form, with no
			// type or subtype: claude-mpm emits claude_event with subtype "claude_event".
			const bodies = payloads.map((payload) => JSON.stringify({event: 'claude_event', data: payload}));
			await postAll(bodies);
			await r.until(() => r.events.length >= payloads.length, 'the events');
			assert.deepEqual(
				mpm.posted.slice(-payloads.length).map((b) => (b.data as Payload).hook_event_name),
				payloads.map((p) => p.hook_event_name),
			);
			assert.deepEqual(
				r.events.map((e) => e.type),
				['SubagentStart', 'PostToolUseFailure', 'SessionEnd', 'PermissionRequest'],
			);
			assert.deepEqual(
				r.events.map((e) => e.toolUseId),
				[null, hookEvents.PostToolUseFailure.tool_use_id, null, null],
			);
		} finally {
			link.close();
		}
	});
});

test('the general client, meeting claude-mpm where it expected mpm-tui (no hello), reads the same events the same way', async () => {
	const r = recorder();
	const connection = openConnection({url: mpm.url}, r.handlers);
	try {
		await r.until(() => r.states.at(-1)?.status === 'connected', 'connected without a hello');
		const at = new Date('2026-03-04T05:06:08.000Z');
		await postAll(fastHookEvents.map(([, payload]) => fastHookBody(JSON.stringify(payload), at)!));
		await r.until(() => r.events.length >= fastHookEvents.length, 'every event');
		assert.deepEqual(
			r.events.map((e) => [e.type, e.toolUseId]),
			fastHookEvents.map(([name, p]) => [name, p.tool_use_id ?? null]),
		);
		assert.ok(r.events.every((e) => e.time === '2026-03-04T05:06:08.000Z'));
	} finally {
		connection.close();
	}
});

/** claude-mpm's own events of other categories (server.py _categorize_event), and one that names nothing. */
const categoryBodies = [
	JSON.stringify({
		namespace: '/',
		event: 'claude_event',
		data: {type: 'hook', subtype: 'token_usage_updated', data: {session_id: 'cat1', input_tokens: 10}},
	}),
	JSON.stringify({
		namespace: '/',
		event: 'claude_event',
		data: {type: 'response', subtype: 'response_started', data: {session_id: 'cat1'}},
	}),
	JSON.stringify({
		namespace: '/',
		event: 'claude_event',
		data: {type: 'agent', subtype: 'agent.delegated', data: {session_id: 'cat1', agent_type: 'engineer'}},
	}),
	JSON.stringify({
		namespace: '/',
		event: 'claude_event',
		data: {type: 'system', subtype: 'system_ready', data: {}},
	}),
	// No type or subtype and no hook_event_name: claude-mpm emits claude_event with subtype "claude_event".
	JSON.stringify({event: 'claude_event', data: {session_id: 'cat1', note: 'from some script'}}),
];
const categoryTypes = [
	'TokenUsageUpdated',
	'mpm:response_event.response_started',
	'mpm:agent_event.agent.delegated',
	'mpm:system_event.system_ready',
	'mpm:claude_event',
];

for (const [name, open] of [
	["the TUI's claude-mpm link", openClaudeMpmConnection],
	['the general client', openConnection],
] as const) {
	test(`${name}: every category claude-mpm emits is listened to, not only the four of hook events`, async () => {
		const r = recorder();
		const link = open({url: mpm.url}, r.handlers);
		try {
			// The general client waits 1.5 s for a hello before it takes the server for claude-mpm.
			await r.until(() => r.states.at(-1)?.status === 'connected', 'connected');
			await postAll(categoryBodies);
			await r.until(() => r.events.length >= categoryBodies.length, 'an event of each category');
			assert.deepEqual(
				mpm.emitted.slice(-categoryBodies.length),
				['session_event', 'response_event', 'agent_event', 'system_event', 'claude_event'],
				"claude-mpm's categories",
			);
			assert.deepEqual(
				r.events.map((e) => e.type),
				categoryTypes,
			);
			assert.deepEqual(r.problems, []);
		} finally {
			link.close();
		}
	});
}
