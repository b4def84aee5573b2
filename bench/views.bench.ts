/**
 * Derived views: apply 100,000 realistic hook events (8 interleaved sessions: prompts, parallel
 * tools, subagents with nested tools, permission prompts, todos, failures) and take snapshots.
 * Figures are medians, given against a baseline in the same run: a loop that only reads the same
 * record fields (and parses the same times) without building any view.
 */
import {performance} from 'node:perf_hooks';
import type {EventRecord} from '../source/core/record.js';
import {normalize} from '../source/core/normalize.js';
import {createViews} from '../source/core/views/index.js';

const EVENTS = 100_000;
const RUNS = 5;
const SNAPSHOT_RUNS = 15;
const T0 = Date.parse('2026-11-23T10:00:00.000Z');

type Payload = Record<string, unknown>;

function generate(count: number): EventRecord[] {
	const out: EventRecord[] = [];
	let t = T0;
	let n = 0;
	const push = (payload: Payload) => {
		t += 7;
		n++;
		const r = normalize(payload, {id: `b${n}`, receivedAt: new Date(t).toISOString(), source: 'hook'});
		if (!r.ok) throw new Error(r.error);
		out.push({seq: n, ...r.record});
	};
	const sessions = Array.from({length: 8}, (_, i) => ({id: `sess-${i}-4c1e-9a0b-3d2f1e4c5a6b`, cwd: `/home/u/project${i}`}));
	let turn = 0;
	while (out.length < count) {
		const s = sessions[turn % sessions.length];
		const base = {session_id: s.id, transcript_path: `/home/u/.claude/${s.id}.jsonl`, cwd: s.cwd, permission_mode: 'default'};
		const ev = (name: string, extra: Payload = {}) => push({...base, hook_event_name: name, ...extra});
		const tool = (name: string, input: Payload, id: string, agent?: Payload, fail = false) => {
			ev('PreToolUse', {tool_name: name, tool_input: input, tool_use_id: id, ...agent});
			return () => fail
				? ev('PostToolUseFailure', {tool_name: name, tool_input: input, tool_use_id: id, error: 'exit 1', is_interrupt: false, duration_ms: 120, ...agent})
				: ev('PostToolUse', {tool_name: name, tool_input: input, tool_response: {stdout: 'ok'}, tool_use_id: id, duration_ms: 40, ...agent});
		};
		if (turn % 50 === 0) ev('SessionStart', {source: 'startup', model: 'claude-opus-4-6'});
		ev('UserPromptSubmit', {prompt: `step ${turn}: make the tests pass`});
		const ends = [
			tool('Read', {file_path: `${s.cwd}/source/file${turn % 40}.ts`}, `toolu_r${turn}`),
			tool('Grep', {pattern: 'TODO', path: `${s.cwd}/source`}, `toolu_g${turn}`),
			tool('Read', {file_path: `${s.cwd}/test/file${turn % 30}.test.ts`}, `toolu_t${turn}`),
		];
		ends.reverse().forEach(end => end());
		if (turn % 3 === 0) {
			const agentInput = {description: 'Explore the code', prompt: 'Find it.', subagent_type: 'Explore'};
			ev('PreToolUse', {tool_name: 'Agent', tool_input: agentInput, tool_use_id: `toolu_a${turn}`});
			const agent = {agent_id: `agent${turn}`, agent_type: 'Explore'};
			ev('SubagentStart', agent);
			for (let k = 0; k < 4; k++) tool('Read', {file_path: `${s.cwd}/lib/m${k}.ts`}, `toolu_s${turn}_${k}`, agent)();
			ev('SubagentStop', {...agent, last_assistant_message: 'Found it in lib/m2.ts', stop_hook_active: false});
			ev('PostToolUse', {tool_name: 'Agent', tool_input: agentInput, tool_response: {agentId: agent.agent_id, status: 'completed', totalDurationMs: 5000, totalTokens: 9000, totalToolUseCount: 4}, tool_use_id: `toolu_a${turn}`});
		}
		if (turn % 5 === 0) {
			const input = {command: `rm -rf build${turn}`};
			const end = tool('Bash', input, `toolu_b${turn}`);
			ev('PermissionRequest', {tool_name: 'Bash', tool_input: input});
			ev('Notification', {message: 'Claude needs your permission to use Bash', notification_type: 'permission_prompt'});
			end();
		}
		tool('Bash', {command: 'npm test'}, `toolu_n${turn}`, undefined, turn % 7 === 0)();
		if (turn % 4 === 0) tool('TodoWrite', {todos: [{content: 'a', status: 'completed', activeForm: 'A'}, {content: 'b', status: 'in_progress', activeForm: 'B'}]}, `toolu_td${turn}`)();
		tool('Edit', {file_path: `${s.cwd}/source/file${turn % 40}.ts`, old_string: 'a', new_string: 'b'}, `toolu_e${turn}`)();
		ev('Stop', {stop_hook_active: false, last_assistant_message: 'Done.'});
		turn++;
	}
	return out.slice(0, count);
}

function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function baseline(records: EventRecord[]): number {
	let sum = 0;
	for (const r of records) {
		sum += Date.parse(r.time) & 1;
		sum += r.type.length + (r.tool?.length ?? 0) + (r.toolUseId?.length ?? 0) + (r.agentId?.length ?? 0) + (r.session?.length ?? 0) + (r.cwd?.length ?? 0);
		const input = r.payload.tool_input as Record<string, unknown> | undefined;
		if (input && typeof input.file_path === 'string') sum += input.file_path.length;
		if (typeof r.payload.duration_ms === 'number') sum += 1;
	}
	return sum;
}

const records = generate(EVENTS);
const now = Date.parse(records[records.length - 1].time) + 1000;
const baseMs: number[] = [];
const applyMs: number[] = [];
let sink = 0;
let views = createViews();
for (let i = 0; i < RUNS; i++) {
	let start = performance.now();
	sink += baseline(records);
	baseMs.push(performance.now() - start);
	views = createViews();
	start = performance.now();
	views.applyMany(records);
	applyMs.push(performance.now() - start);
}

const snap = {tools: [] as number[], agents: [] as number[], files: [] as number[], sessions: [] as number[]};
let rows = 0;
for (let i = 0; i < SNAPSHOT_RUNS; i++) {
	let s = performance.now();
	rows = views.tools(now).length;
	snap.tools.push(performance.now() - s);
	s = performance.now();
	sink += views.agents(now).length;
	snap.agents.push(performance.now() - s);
	s = performance.now();
	sink += views.files().length;
	snap.files.push(performance.now() - s);
	s = performance.now();
	sink += views.sessions(now).length;
	snap.sessions.push(performance.now() - s);
}

const base = median(baseMs);
const apply = median(applyMs);
const perSec = (ms: number) => Math.round(EVENTS / (ms / 1000)).toLocaleString('en-US');
console.log(`events: ${EVENTS.toLocaleString('en-US')}, runs: ${RUNS} (medians)`);
console.log(`baseline (read fields only): ${base.toFixed(1)} ms = ${perSec(base)} events/s`);
console.log(`views.apply:                 ${apply.toFixed(1)} ms = ${perSec(apply)} events/s  (${(apply / base).toFixed(1)}× baseline)`);
console.log(`per event: ${(apply * 1000 / EVENTS).toFixed(2)} µs apply vs ${(base * 1000 / EVENTS).toFixed(2)} µs baseline`);
for (const [name, times] of Object.entries(snap)) {
	console.log(`snapshot ${name.padEnd(8)} ${median(times).toFixed(2)} ms  (${(median(times) / (base / EVENTS * 1000)).toFixed(0)}× the baseline's cost for 1,000 events)`);
}
console.log(`tool calls kept: ${rows.toLocaleString('en-US')} (bounded), checksum ${sink % 10}`);
