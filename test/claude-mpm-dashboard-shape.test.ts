/**
 * mpm-tui's events as claude-mpm's dashboard expects them: a Socket.IO client that does not
 * identify itself as mpm-tui (claude-mpm's dashboard connects with a plain `io(url)`, polling
 * first) gets, for each event, the emit claude-mpm's server would send for it — event name and
 * `type` = the category, `subtype`, `data`, `timestamp` = the source's time, `session_id`,
 * `source`, `correlation_id` (the tool use id), `cwd` — checked field by field against
 * claude-mpm's server and dashboard as written down in fixtures/claude-mpm-wire.ts.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {io, type Socket} from 'socket.io-client';
import {startServer, type MpmServer} from '../source/server/server.js';
import {categorize, claudeMpmEmit, dashboardTools, fastHookBody} from './fixtures/claude-mpm-wire.js';
import {CWD, SESSION_ID, TOOL_IDS, hookEvents, sessionFlow, type Payload} from './fixtures/hook-payloads.js';
import {connected, postJson, testConfig, withTimeout} from './helpers/server-kit.js';

let server: MpmServer;
let dashboard: Socket;
/** Every emit the dashboard got, in order: [event name, body]. */
const received: Array<[string, Payload]> = [];

before(async () => {
	server = await startServer(testConfig({journal: false}));
	// As claude-mpm's dashboard connects (dashboard-svelte stores/socket.svelte.ts): no auth, polling then WebSocket.
	dashboard = io(server.url, {
		transports: ['polling', 'websocket'],
		upgrade: true,
		reconnection: false,
		forceNew: true,
	});
	dashboard.onAny((name: string, body: Payload) => {
		if (name !== 'system.heartbeat') received.push([name, body]);
	});
	await connected(dashboard);
});
after(async () => {
	dashboard.close();
	await server.close();
});

/** POSTs each body in turn and returns what the dashboard got for them. */
async function emitsFor(
	bodies: Array<{body: string; headers?: Record<string, string>}>,
): Promise<Array<[string, Payload]>> {
	const start = received.length;
	for (const {body, headers} of bodies) {
		const answer = await postJson(server.url, '/api/events', body, headers);
		assert.equal(answer.status, 202, answer.text);
	}
	await withTimeout(
		(async () => {
			while (received.length < start + bodies.length) await new Promise((r) => setTimeout(r, 10));
		})(),
		5000,
		`${bodies.length} emits at the dashboard`,
	);
	return received.slice(start);
}

/** The forwarder's stamp for the i-th event of the flow: 2026-03-04T05:06:07.000Z plus i × 1.25 s. */
const stampOf = (i: number) => Date.parse('2026-03-04T05:06:07.000Z') + i * 1250;

describe('Claude Code hook events, as the forwarder posts them', () => {
	let emits: Array<[string, Payload]>;
	before(async () => {
		emits = await emitsFor(
			sessionFlow.map((payload, i) => ({
				body: JSON.stringify(payload),
				headers: {'X-Mpm-Received': String(stampOf(i))},
			})),
		);
	});

	test("one emit per event, named by the category, which is also the body's type (server.py _categorize_event)", () => {
		assert.equal(emits.length, sessionFlow.length);
		for (const [name, body] of emits) {
			assert.equal(body.type, name);
			assert.equal(name, categorize(body.subtype), `${String(body.subtype)}`);
		}
		assert.deepEqual(
			emits.map(([name, body]) => `${name} ${String(body.subtype)}`),
			[
				'session_event session_start',
				'claude_event user_prompt',
				'tool_event pre_tool',
				'tool_event pre_tool',
				'tool_event post_tool',
				'tool_event post_tool',
				'tool_event pre_tool',
				'tool_event post_tool',
				'tool_event pre_tool',
				'hook_event subagent_start',
				'tool_event pre_tool',
				'tool_event post_tool',
				'tool_event pre_tool',
				'tool_event post_tool',
				'hook_event subagent_stop',
				'tool_event post_tool',
				'tool_event pre_tool',
				'tool_event post_tool',
				'tool_event pre_tool',
				'tool_event post_tool',
				'claude_event notification',
				'claude_event permission_request',
				'tool_event pre_tool',
				'tool_event post_tool',
				'claude_event stop',
				'session_event session_end',
			],
		);
	});

	test("the bodies, field by field and in claude-mpm's key order", () => {
		const at = (i: number) => new Date(stampOf(i)).toISOString();
		// server.py api_events_handler: {type, subtype, data, timestamp, session_id, source}, then correlation_id and cwd when set.
		assert.equal(
			JSON.stringify(emits[2][1]),
			JSON.stringify({
				type: 'tool_event',
				subtype: 'pre_tool',
				data: {...sessionFlow[2], correlation_id: TOOL_IDS.read},
				timestamp: at(2),
				session_id: SESSION_ID,
				source: 'hook',
				correlation_id: TOOL_IDS.read,
				cwd: CWD,
			}),
			'PreToolUse(Read)',
		);
		assert.equal(
			JSON.stringify(emits[7][1]),
			JSON.stringify({
				type: 'tool_event',
				subtype: 'post_tool',
				data: {...sessionFlow[7], correlation_id: TOOL_IDS.bash},
				timestamp: at(7),
				session_id: SESSION_ID,
				source: 'hook',
				correlation_id: TOOL_IDS.bash,
				cwd: CWD,
			}),
			'PostToolUseFailure(Bash): a post_tool whose data has the error',
		);
		assert.equal(
			JSON.stringify(emits[9][1]),
			JSON.stringify({
				type: 'hook_event',
				subtype: 'subagent_start',
				data: sessionFlow[9],
				timestamp: at(9),
				session_id: SESSION_ID,
				source: 'hook',
				cwd: CWD,
			}),
			'SubagentStart: no correlation_id, data as the hook sent it',
		);
		assert.equal(
			JSON.stringify(emits[0][1]),
			JSON.stringify({
				type: 'session_event',
				subtype: 'session_start',
				data: sessionFlow[0],
				timestamp: at(0),
				session_id: SESSION_ID,
				source: 'hook',
				cwd: CWD,
			}),
			'SessionStart',
		);
		assert.equal(
			JSON.stringify(emits[21][1]),
			JSON.stringify({
				type: 'claude_event',
				subtype: 'permission_request',
				data: sessionFlow[21],
				timestamp: at(21),
				session_id: SESSION_ID,
				source: 'hook',
				cwd: CWD,
			}),
			'PermissionRequest',
		);
	});

	test("claude-mpm's dashboard lists every tool call, paired, with its status and duration", () => {
		const tools = dashboardTools(emits.map(([name, body]) => ({...body, event: name})));
		const calls = [
			['Read', TOOL_IDS.read, 'success', 2, 5],
			['Grep', TOOL_IDS.grep, 'success', 3, 4],
			['Bash', TOOL_IDS.bash, 'error', 6, 7],
			['Agent', TOOL_IDS.agent, 'success', 8, 15],
			['Grep', TOOL_IDS.subGrep, 'success', 10, 11],
			['Read', TOOL_IDS.subRead, 'success', 12, 13],
			['Edit', TOOL_IDS.edit, 'success', 16, 17],
			['TodoWrite', TOOL_IDS.todo, 'success', 18, 19],
			['Bash', TOOL_IDS.rm, 'success', 22, 23],
		] as const;
		assert.deepEqual(
			[...tools].sort((a, b) => a.id.localeCompare(b.id)),
			calls
				.map(([toolName, id, status, pre, post]) => ({
					id,
					toolName,
					status,
					duration: stampOf(post) - stampOf(pre),
				}))
				.sort((a, b) => a.id.localeCompare(b.id)),
		);
	});
});

describe("claude-mpm's own hook (claude-hook-fast.sh) posting to mpm-tui", () => {
	test("every hook event comes out as claude-mpm's server would emit it, but for the two fields it gets wrong", async () => {
		const at = new Date('2026-03-04T05:07:00.000Z');
		const bodies = Object.values(hookEvents)
			.map((payload) => fastHookBody(JSON.stringify(payload), at))
			.filter((b): b is string => b !== null);
		const emits = await emitsFor(bodies.map((body) => ({body})));
		for (const [i, body] of bodies.entries()) {
			const envelope = JSON.parse(body) as Payload;
			const payload = (envelope.data as Payload).data as Payload;
			const expected = claudeMpmEmit(envelope, 'unused: the envelope has a timestamp');
			// 1. correlation_id: claude-mpm passes on the script's made-up `<Tool>_<ms>000`, a new one for
			//    every event, so its dashboard never pairs a pre_tool with its post_tool; mpm-tui sends the
			//    hook's tool_use_id (in data too for pre_tool/post_tool, where the dashboard looks it up).
			if (typeof payload.tool_use_id === 'string') {
				expected.body.correlation_id = payload.tool_use_id;
				if (expected.body.subtype === 'pre_tool' || expected.body.subtype === 'post_tool')
					expected.body.data = {...payload, correlation_id: payload.tool_use_id};
			}
			// 2. source: claude-mpm takes the payload's own `source` first, which for SessionStart is how the
			//    session started (`startup`) and for ConfigChange which settings changed; mpm-tui keeps the
			//    envelope's, `fast_hook`.
			expected.body.source = 'fast_hook';
			assert.equal(emits[i][0], expected.event, `${String(payload.hook_event_name)}: event name`);
			assert.equal(
				JSON.stringify(emits[i][1]),
				JSON.stringify(expected.body),
				`${String(payload.hook_event_name)}: body`,
			);
		}
		// The script's unmapped events keep their CamelCase subtype and claude-mpm's category for it, as under claude-mpm.
		const subagentStart = emits[bodies.findIndex((b) => b.includes('"subtype": "SubagentStart"'))];
		assert.deepEqual([subagentStart[0], subagentStart[1].subtype], ['claude_event', 'SubagentStart']);
	});
});
