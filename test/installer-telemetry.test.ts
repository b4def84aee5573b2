/**
 * `mpm-tui hooks install --telemetry`, `hooks uninstall` and `hooks status` on real files in
 * temporary HOME and project dirs (runHooks in-process), against real servers; and the env block
 * the install writes, given as the environment of a process running the OpenTelemetry JS SDK's
 * OTLP HTTP exporters, whose records must reach the real server. Oracles: the variables as Claude
 * Code's docs name them (written out here by hand), the token the test chose, the files' bytes.
 */
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {runHooks, type HooksContext} from '../source/commands/hooks.js';
import {resolveConfig} from '../source/config.js';
import type {EventRecord} from '../source/core/record.js';
import {startServer} from '../source/server/server.js';
import {freePort} from './helpers/free-port.js';
import {eventually, root, runCommand, tempDir} from './helpers/forwarder.js';

const TOKEN = 's3cret,tok;en%';

interface Run {
	code: number;
	out: string;
	err: string;
}

function setup(t: {after(fn: () => void): void}, shellEnv: Record<string, string> = {}) {
	const temp = tempDir('installer-telemetry');
	t.after(temp.cleanup);
	const home = path.join(temp.dir, 'home');
	const project = path.join(temp.dir, 'project');
	mkdirSync(home);
	mkdirSync(project);
	const env = {PATH: process.env.PATH ?? '', MPM_TUI_STATE_DIR: path.join(temp.dir, 'state'), ...shellEnv};
	const run = async (args: string[], extra: {port?: number; token?: string} = {}): Promise<Run> => {
		const [sub, ...flags] = args;
		const opt = (name: string) => {
			const i = flags.indexOf(name);
			return i === -1 ? undefined : flags[i + 1];
		};
		let out = '';
		let err = '';
		const context: HooksContext = {home, cwd: project, env, out: (s) => (out += s), err: (s) => (err += s)};
		const config = resolveConfig({port: extra.port ?? 8765, token: extra.token}, env, home);
		const code = await runHooks(
			config,
			sub,
			{
				scope: opt('--scope'),
				forwarder: opt('--forwarder') ?? 'node',
				dryRun: flags.includes('--dry-run'),
				telemetry: flags.includes('--telemetry'),
			},
			context,
		);
		return {code, out, err};
	};
	return {
		temp: temp.dir,
		home,
		project,
		run,
		user: path.join(home, '.claude', 'settings.json'),
		projectFile: path.join(project, '.claude', 'settings.json'),
		localFile: path.join(project, '.claude', 'settings.local.json'),
	};
}

function envOf(file: string): Record<string, string> {
	return JSON.parse(readFileSync(file, 'utf8')).env as Record<string, string>;
}

/** The variables for a server on port 8765 without a token, as Claude Code's monitoring docs name them. */
const EXPECTED = {
	CLAUDE_CODE_ENABLE_TELEMETRY: '1',
	OTEL_LOGS_EXPORTER: 'otlp',
	OTEL_METRICS_EXPORTER: 'otlp',
	OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
	OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:8765',
	OTEL_LOGS_EXPORT_INTERVAL: '1000',
	OTEL_METRIC_EXPORT_INTERVAL: '10000',
};

const existingText = `{
\t"model": "opus",
\t"env": {"FOO": "bar"}
}
`;

describe('hooks install --telemetry', () => {
	for (const scope of ['user', 'local'] as const) {
		test(`${scope} scope: the variables in the env block, with the hooks; the token in the headers variable, never printed`, async (t) => {
			const s = setup(t);
			const r = await s.run(['install', '--scope', scope, '--telemetry'], {token: TOKEN});
			assert.equal(r.code, 0, r.err);
			const file = scope === 'user' ? s.user : s.localFile;
			const env = envOf(file);
			assert.deepEqual(env, {
				...EXPECTED,
				OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cret%2Ctok%3Ben%25',
			});
			assert.ok(JSON.parse(readFileSync(file, 'utf8')).hooks.PreToolUse, 'the hooks too');
			assert.match(
				r.out,
				/^telemetry: CLAUDE_CODE_ENABLE_TELEMETRY=1, .*OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:8765, .*OTEL_EXPORTER_OTLP_HEADERS=Authorization=\*\*\*\*$/m,
			);
			assert.equal(r.out.includes('s3cret'), false, r.out);
			assert.equal(r.err, '');
		});
	}

	test('an existing env block: its variables kept, ours after them, the indentation kept', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, existingText);
		const r = await s.run(['install', '--telemetry']);
		assert.equal(r.code, 0, r.err);
		const text = readFileSync(s.user, 'utf8');
		assert.deepEqual(Object.keys(envOf(s.user)), ['FOO', ...Object.keys(EXPECTED)]);
		assert.equal(envOf(s.user).FOO, 'bar');
		assert.match(text, /^\t"env": \{\n\t\t"FOO": "bar",\n\t\t"CLAUDE_CODE_ENABLE_TELEMETRY": "1",/m);
		const again = await s.run(['install', '--telemetry']);
		assert.match(
			again.out,
			/already installed .*nothing changed\ntelemetry: already set for http:\/\/127\.0\.0\.1:8765/,
		);
		assert.equal(readFileSync(s.user, 'utf8'), text, 're-install leaves the file byte-identical');
	});

	test('project scope: refused with the reason, steered to local; nothing written', async (t) => {
		const s = setup(t);
		const r = await s.run(['install', '--scope', 'project', '--telemetry']);
		assert.equal(r.code, 2);
		assert.match(
			r.err,
			/--telemetry is not written to the project scope: .*shared with the repository.*Use --scope local/,
		);
		assert.equal(existsSync(s.projectFile), false);
	});

	test("a user's own OTel configuration in the file is never overridden: it is named (headers masked), with what to do; the hooks still go in", async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.localFile), {recursive: true});
		const mine = {
			OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318',
			OTEL_EXPORTER_OTLP_HEADERS: 'api-key=TOPSECRET',
			CLAUDE_CODE_ENABLE_TELEMETRY: '1',
		};
		writeFileSync(s.localFile, JSON.stringify({env: mine}, null, 2));
		const r = await s.run(['install', '--scope', 'local', '--telemetry']);
		assert.equal(r.code, 0, r.err);
		assert.deepEqual(envOf(s.localFile), mine, 'the env block as it was');
		assert.ok(JSON.parse(readFileSync(s.localFile, 'utf8')).hooks.Stop, 'the hooks are installed');
		assert.match(
			r.out,
			/^telemetry: NOT added: a telemetry configuration is already there, and mpm-tui never overrides one:$/m,
		);
		assert.match(
			r.out,
			/settings\.local\.json \(env\): OTEL_EXPORTER_OTLP_ENDPOINT=https:\/\/collector\.example:4318, OTEL_EXPORTER_OTLP_HEADERS=api-key=\*\*\*\*$/m,
		);
		assert.match(
			r.out,
			/remove those variables and run this again; or point your own setup at http:\/\/127\.0\.0\.1:8765 \(OTLP over HTTP with JSON/,
		);
		assert.equal(r.out.includes('TOPSECRET'), false);
	});

	test('an OTel configuration in another scope or in the shell counts too: nothing added, and it says where', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, JSON.stringify({env: {OTEL_METRICS_EXPORTER: 'prometheus'}}));
		const fromFile = await s.run(['install', '--scope', 'local', '--telemetry']);
		assert.match(
			fromFile.out,
			/home\/\.claude\/settings\.json \(env, user scope\): OTEL_METRICS_EXPORTER=prometheus$/m,
		);
		assert.equal(JSON.parse(readFileSync(s.localFile, 'utf8')).env, undefined);

		const shell = setup(t, {OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.5:4318'});
		const fromShell = await shell.run(['install', '--telemetry']);
		assert.match(
			fromShell.out,
			/^ {11}the environment of this shell: OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/10\.0\.0\.5:4318$/m,
		);
		assert.equal(JSON.parse(readFileSync(shell.user, 'utf8')).env, undefined);
	});

	test('--dry-run: the diff shows the variables with the headers masked; nothing written', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, existingText);
		const r = await s.run(['install', '--telemetry', '--dry-run'], {token: TOKEN});
		assert.equal(r.code, 0, r.err);
		assert.match(r.out, /^\+\t\t"OTEL_EXPORTER_OTLP_ENDPOINT": "http:\/\/127\.0\.0\.1:8765",$/m);
		assert.match(r.out, /^\+\t\t"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=\*\*\*\*"$/m);
		assert.equal(r.out.includes('s3cret'), false, r.out);
		assert.equal(readFileSync(s.user, 'utf8'), existingText);
	});
});

describe('hooks uninstall after --telemetry', () => {
	test('nothing else changed: the original bytes back; a file the install created is removed', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, existingText);
		await s.run(['install', '--telemetry'], {token: TOKEN});
		const r = await s.run(['uninstall'], {token: TOKEN});
		assert.equal(r.code, 0, r.err);
		assert.match(r.out, /^removed env: {2}CLAUDE_CODE_ENABLE_TELEMETRY, .*OTEL_EXPORTER_OTLP_HEADERS$/m);
		assert.match(r.out, /restored .* byte for byte/);
		assert.equal(readFileSync(s.user, 'utf8'), existingText);

		// Hooks first, telemetry in a second install: the file was created by mpm-tui.
		await s.run(['install', '--scope', 'local']);
		await s.run(['install', '--scope', 'local', '--telemetry']);
		const gone = await s.run(['uninstall', '--scope', 'local']);
		assert.match(
			gone.out,
			/removed .*settings\.local\.json: it held nothing but mpm-tui's hooks and variables/,
		);
		assert.equal(existsSync(s.localFile), false);
		assert.equal(existsSync(`${s.localFile}.bak-mpm-tui`), false);
	});

	test('a value changed since the install stays, and it says so; the rest of ours goes, the other edits stay', async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		writeFileSync(s.user, existingText);
		await s.run(['install', '--telemetry']);
		const edited = JSON.parse(readFileSync(s.user, 'utf8'));
		edited.env.OTEL_LOGS_EXPORT_INTERVAL = '250';
		writeFileSync(s.user, JSON.stringify(edited, null, '\t'));
		const r = await s.run(['uninstall']);
		assert.equal(r.code, 0, r.err);
		assert.match(
			r.out,
			/^kept: {9}OTEL_LOGS_EXPORT_INTERVAL=250: not the value mpm-tui writes for http:\/\/127\.0\.0\.1:8765 \(changed since the install/m,
		);
		assert.deepEqual(JSON.parse(readFileSync(s.user, 'utf8')), {
			model: 'opus',
			env: {FOO: 'bar', OTEL_LOGS_EXPORT_INTERVAL: '250'},
		});
		assert.match(r.out, /the file had changed since the install/);
	});

	test("a user's own OTel variables (there before the install) are left alone without a word", async (t) => {
		const s = setup(t);
		mkdirSync(path.dirname(s.user), {recursive: true});
		const text = JSON.stringify(
			{env: {OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318'}},
			null,
			2,
		);
		writeFileSync(s.user, text);
		await s.run(['install', '--telemetry']);
		const r = await s.run(['uninstall']);
		assert.equal(r.out.includes('kept:'), false, r.out);
		assert.equal(readFileSync(s.user, 'utf8'), text);
	});
});

/** Posts one OTLP log record for `session` to the server. */
async function postLog(url: string, session: string, token?: string): Promise<void> {
	const body = {
		resourceLogs: [
			{
				resource: {attributes: [{key: 'service.name', value: {stringValue: 'claude-code'}}]},
				scopeLogs: [
					{
						logRecords: [
							{
								timeUnixNano: String(Date.now() * 1e6),
								body: {stringValue: 'claude_code.api_request'},
								attributes: [
									{key: 'event.name', value: {stringValue: 'api_request'}},
									{key: 'session.id', value: {stringValue: session}},
									{key: 'cost_usd', value: {doubleValue: 0.01}},
								],
							},
						],
					},
				],
			},
		],
	};
	const response = await fetch(`${url}/v1/logs`, {
		method: 'POST',
		headers: {'content-type': 'application/json', ...(token ? {authorization: `Bearer ${token}`} : {})},
		body: JSON.stringify(body),
	});
	assert.equal(response.status, 200, await response.text());
}

test('hooks status: the variables per scope; "none yet", then the records per session the running server received', async (t) => {
	const s = setup(t);
	const port = await freePort();
	await s.run(['install', '--scope', 'local', '--telemetry'], {port, token: TOKEN});
	const config = resolveConfig(
		{port, journal: false, token: TOKEN},
		{MPM_TUI_STATE_DIR: path.join(s.temp, 'server-state')},
		s.home,
	);
	const server = await startServer(config);
	t.after(() => server.close());
	const none = await s.run(['status'], {port, token: TOKEN});
	assert.equal(none.code, 0, none.err);
	assert.match(none.out, new RegExp(`^ {10}telemetry: set, to http://127\\.0\\.0\\.1:${port}$`, 'm'));
	assert.match(none.out, /^otel {4}none yet: no telemetry has arrived/m);
	assert.equal(none.out.includes('s3cret'), false);

	await postLog(`http://127.0.0.1:${port}`, 'sess-aaaa', TOKEN);
	await postLog(`http://127.0.0.1:${port}`, 'sess-aaaa', TOKEN);
	await postLog(`http://127.0.0.1:${port}`, 'sess-bbbb', TOKEN);
	const some = await s.run(['status'], {port, token: TOKEN});
	assert.match(
		some.out,
		/^otel {4}3 log record\(s\) and 0 metrics export\(s\) since the server started; in the last 10 minutes:$/m,
	);
	assert.match(some.out, /^ {10}session sess-aaaa: 2 record\(s\), last at \d{4}-/m);
	assert.match(some.out, /^ {10}session sess-bbbb: 1 record\(s\), last at \d{4}-/m);

	// Another port than the install's: the file's variables are someone else's settings now.
	const other = await s.run(['status'], {port: port + 1});
	assert.match(
		other.out,
		/telemetry: other settings: .*OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:\d+, .*OTEL_EXPORTER_OTLP_HEADERS=Authorization=\*\*\*\*/,
	);
});

test('end to end: the env block install writes, as the environment of the OpenTelemetry JS SDK exporters, delivers records to the real server (token and all)', async (t) => {
	const s = setup(t);
	const port = await freePort();
	const config = resolveConfig(
		{port, journal: false, token: TOKEN},
		{MPM_TUI_STATE_DIR: path.join(s.temp, 'server-state')},
		s.home,
	);
	const accepted: EventRecord[] = [];
	const server = await startServer(config, {onAccepted: (batch) => accepted.push(...batch.records)});
	t.after(() => server.close());
	const r = await s.run(['install', '--scope', 'local', '--telemetry'], {port, token: TOKEN});
	assert.equal(r.code, 0, r.err);
	const env = envOf(s.localFile);
	// The SDK reads OTEL_EXPORTER_OTLP_ENDPOINT (appending /v1/logs and /v1/metrics) and OTEL_EXPORTER_OTLP_HEADERS from the environment: no URL or header in the script.
	const script = `
		import {OTLPLogExporter} from '@opentelemetry/exporter-logs-otlp-http';
		import {OTLPMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http';
		import {LoggerProvider, SimpleLogRecordProcessor} from '@opentelemetry/sdk-logs';
		import {MeterProvider, PeriodicExportingMetricReader} from '@opentelemetry/sdk-metrics';
		import {resourceFromAttributes} from '@opentelemetry/resources';
		const resource = resourceFromAttributes({'service.name': 'claude-code'});
		const logs = new LoggerProvider({resource, processors: [new SimpleLogRecordProcessor({exporter: new OTLPLogExporter()})]});
		logs.getLogger('com.anthropic.claude_code.events').emit({body: 'claude_code.api_request', attributes: {'event.name': 'api_request', 'session.id': 'sess-e2e', cost_usd: 0.02, input_tokens: 10}});
		await logs.forceFlush();
		await logs.shutdown();
		const metrics = new MeterProvider({resource, readers: [new PeriodicExportingMetricReader({exporter: new OTLPMetricExporter(), exportIntervalMillis: 60000})]});
		metrics.getMeter('com.anthropic.claude_code').createCounter('claude_code.cost.usage').add(0.02, {'session.id': 'sess-e2e', model: 'claude-sonnet-4-5'});
		await metrics.forceFlush();
		await metrics.shutdown();
	`;
	const child = await runCommand(process.execPath, ['--input-type=module', '-e', script], {
		cwd: root,
		env: {PATH: process.env.PATH ?? '', ...env},
	});
	assert.equal(child.code, 0, child.stderr);
	const log = await eventually(
		() => accepted.find((rec) => rec.source === 'otel' && rec.type === 'claude_code.api_request'),
		5000,
		'the log record at the server',
	);
	assert.equal(log.session, 'sess-e2e');
	await eventually(
		() => accepted.find((rec) => rec.source === 'otel' && rec.type === 'otel.metrics'),
		5000,
		'the metrics record at the server',
	);
});
