/**
 * The built CLI as it is published (`npm run build`, scripts/build.mjs): one bundle that runs
 * without node_modules, React's production build, and each command loading only what it needs.
 *  - dist/ and package.json copied to a temp dir with no node_modules: --version, --server-only
 *    answering /health with the package's version, and hooks install --dry-run naming the
 *    forwarder in that copy (paths found from the bundle's own files);
 *  - React: the production reconciler's text is in dist/, the development build's is not (texts
 *    taken from react-reconciler's own files);
 *  - lazy loading, observed through a module loader hook that records every file Node loads:
 *    `hooks status`, `emit`, `tail` and `--server-only` load no Ink (yoga's WebAssembly), the first
 *    three no Socket.IO server (engine.io's server); the TUI connecting to a running server (tmux)
 *    loads Ink but no Socket.IO server. Files are recognised by their contents, not their names.
 * Needs the build.
 */
import {after, before, describe, test} from 'node:test';
import {spawn, type ChildProcess} from 'node:child_process';
import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {freePort} from './helpers/free-port.js';
import {eventually, root, runCommand, tempDir} from './helpers/forwarder.js';
import {request, spawnServer} from './helpers/server-kit.js';
import {cliPath, hookPayload, Tmux} from './helpers/tmux-kit.js';

const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string})
	.version;

/** Every file under dir. */
function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = path.join(dir, name);
		return statSync(p).isDirectory() ? files(p) : [p];
	});
}

/** Texts that only one part contains, from the dependencies' own files. */
const INK = 'data:application/octet-stream;base64,'; // yoga-layout's WebAssembly, which Ink loads
const SOCKET_IO_SERVER = 'Transport unknown'; // engine.io's server (node_modules/engine.io/build/server.js)
const REDIS = 'Reached the max retries per request limit'; // ioredis (built/errors/MaxRetriesPerRequestError.js), which only team mode (--redis) loads

/** SIGTERM, and the exit. */
async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}

function env(dir: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		PATH: process.env.PATH ?? '',
		HOME: dir,
		MPM_TUI_STATE_DIR: path.join(dir, 'state'),
		MPM_TUI_TOKEN: '',
		CLAUDE_MPM_SOCKETIO_TOKEN: '',
		...extra,
	};
}

before(() => {
	if (!existsSync(cliPath)) throw new Error('build first: npm run build');
	assert.ok(
		readFileSync(path.join(root, 'node_modules', 'engine.io', 'build', 'server.js'), 'utf8').includes(
			SOCKET_IO_SERVER,
		),
		"the Socket.IO server marker is engine.io's",
	);
	assert.ok(
		readFileSync(
			path.join(root, 'node_modules', 'yoga-layout', 'dist', 'binaries', 'yoga-wasm-base64-esm.js'),
			'utf8',
		).includes(INK),
		"the Ink marker is yoga's",
	);
	assert.ok(
		readFileSync(
			path.join(root, 'node_modules', 'ioredis', 'built', 'errors', 'MaxRetriesPerRequestError.js'),
			'utf8',
		).includes(REDIS),
		"the Redis marker is ioredis's",
	);
});

describe('the bundle runs without node_modules', () => {
	const temp = tempDir('bundle-copy');
	const pkg = path.join(temp.dir, 'mpm-tui');
	let server: ChildProcess | null = null;
	before(() => {
		mkdirSync(pkg);
		cpSync(path.join(root, 'dist'), path.join(pkg, 'dist'), {recursive: true});
		cpSync(path.join(root, 'package.json'), path.join(pkg, 'package.json'));
	});
	after(async () => {
		if (server) await stop(server);
		temp.cleanup();
	});

	test('--version prints the package version', async () => {
		const result = await runCommand(process.execPath, [path.join(pkg, 'dist', 'cli.js'), '--version'], {
			cwd: temp.dir,
			env: env(temp.dir),
		});
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stdout.trim(), version);
	});

	test('--server-only answers /health with the package version', async () => {
		const port = await freePort();
		const child = spawn(
			process.execPath,
			[path.join(pkg, 'dist', 'cli.js'), '--server-only', '--no-journal', '--port', String(port)],
			{cwd: temp.dir, env: env(temp.dir), stdio: ['ignore', 'ignore', 'pipe']},
		);
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		server = child;
		await eventually(
			() => (/listening on/.test(stderr) ? true : undefined),
			10_000,
			`the server to listen (stderr: ${stderr})`,
		);
		const health = await request(`http://127.0.0.1:${port}/health`);
		assert.equal(health.status, 200);
		const body = health.json as {service: string; version: string};
		assert.equal(body.service, 'mpm-tui');
		assert.equal(body.version, version);
	});

	test('hooks install --dry-run names the forwarder in this copy', async () => {
		const project = path.join(temp.dir, 'project');
		mkdirSync(project);
		const result = await runCommand(
			process.execPath,
			[
				path.join(pkg, 'dist', 'cli.js'),
				'hooks',
				'install',
				'--scope',
				'local',
				'--forwarder',
				'node',
				'--dry-run',
			],
			{cwd: project, env: env(temp.dir)},
		);
		assert.equal(result.code, 0, result.stderr);
		assert.ok(result.stdout.includes(path.join(pkg, 'dist', 'hook', 'forward.cjs')), result.stdout);
	});
});

test("React runs its production build: its text is in dist/, the development build's is not", () => {
	const development = readFileSync(
		path.join(root, 'node_modules', 'react-reconciler', 'cjs', 'react-reconciler.development.js'),
		'utf8',
	);
	const production = readFileSync(
		path.join(root, 'node_modules', 'react-reconciler', 'cjs', 'react-reconciler.production.js'),
		'utf8',
	);
	const devOnly = 'Each child in a list should have a unique ';
	const prodOnly = 'Minified React error #';
	assert.ok(
		development.includes(devOnly) && !production.includes(devOnly),
		'a text of the development build only',
	);
	assert.ok(
		production.includes(prodOnly) && !development.includes(prodOnly),
		'a text of the production build only',
	);
	const built = files(path.join(root, 'dist')).map((file) => readFileSync(file, 'utf8'));
	assert.ok(
		built.some((text) => text.includes(prodOnly)),
		'the production build is bundled',
	);
	assert.ok(!built.some((text) => text.includes(devOnly)), 'the development build is not');
});

describe('each command loads only what it needs', () => {
	const temp = tempDir('bundle-loads');
	const hook = path.join(temp.dir, 'record-loads.mjs');
	let server: Awaited<ReturnType<typeof spawnServer>>;
	before(async () => {
		// A module loader hook (node:module register) appending each loaded file's path to MPM_TEST_LOADS.
		const loader = path.join(temp.dir, 'loader.mjs');
		writeFileSync(
			loader,
			"import {appendFileSync} from 'node:fs';\nexport async function load(url, context, next) {\n\tif (url.startsWith('file:') && process.env.MPM_TEST_LOADS) appendFileSync(process.env.MPM_TEST_LOADS, url + '\\n');\n\treturn next(url, context);\n}\n",
		);
		writeFileSync(
			hook,
			`import {register} from 'node:module';\nregister(${JSON.stringify(new URL(`file://${loader}`).href)});\n`,
		);
		server = await spawnServer(env(temp.dir, {MPM_TUI_STATE_DIR: path.join(temp.dir, 'server-state')}), [
			'--no-journal',
		]);
		const accepted = await fetch(`${server.url}/api/events`, {
			method: 'POST',
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(hookPayload(1)),
		});
		assert.equal(accepted.status, 202);
	});
	after(async () => {
		await server?.kill();
		temp.cleanup();
	});

	/** The loaded files' texts, by path. */
	function loaded(log: string): Map<string, string> {
		const paths = readFileSync(log, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((url) => fileURLToPath(url));
		assert.ok(paths.length > 0, 'the loader hook saw the loads');
		return new Map(paths.map((file) => [file, readFileSync(file, 'utf8')]));
	}
	const has = (texts: Map<string, string>, marker: string) =>
		[...texts.values()].some((text) => text.includes(marker));

	const cases: Array<{
		name: string;
		args: (port: number) => string[];
		until: 'exit' | 'output';
		ink: boolean;
		socketIoServer: boolean;
		/** ioredis: only with --redis (never loaded by a plain server). */
		redis?: boolean;
	}> = [
		{name: 'hooks status', args: () => ['hooks', 'status'], until: 'exit', ink: false, socketIoServer: false},
		{
			name: 'emit',
			args: (port) => ['emit', '--port', String(port), JSON.stringify(hookPayload(2))],
			until: 'exit',
			ink: false,
			socketIoServer: false,
		},
		{
			name: 'tail',
			args: (port) => ['tail', '--since', '0', '--port', String(port)],
			until: 'output',
			ink: false,
			socketIoServer: false,
		},
		{
			name: '--server-only',
			args: () => ['--server-only', '--no-journal', '--port', '0'],
			until: 'output',
			ink: false,
			socketIoServer: true,
			redis: false,
		},
		{
			// Redis need not answer: the client is loaded, and the server starts without it.
			name: '--server-only --redis',
			args: () => ['--server-only', '--port', '0', '--redis', 'redis://127.0.0.1:1'],
			until: 'output',
			ink: false,
			socketIoServer: true,
			redis: true,
		},
	];
	for (const c of cases) {
		test(`${c.name}: ${c.ink ? 'Ink' : 'no Ink'}, ${c.socketIoServer ? 'the Socket.IO server' : 'no Socket.IO server'}`, async () => {
			const log = path.join(temp.dir, `${c.name.replace(/\W/g, '')}.loads`);
			const child = spawn(process.execPath, ['--import', hook, cliPath, ...c.args(server.port)], {
				cwd: temp.dir,
				env: env(temp.dir, {MPM_TEST_LOADS: log}),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
			const done = new Promise<void>((resolve, reject) => {
				const timer = setTimeout(
					() =>
						reject(
							new Error(`${c.name} did not ${c.until === 'exit' ? 'exit' : 'print'}; stderr: ${stderr}`),
						),
					15_000,
				);
				const finish = () => {
					clearTimeout(timer);
					resolve();
				};
				if (c.until === 'output') {
					child.stdout.once('data', finish);
					child.stderr.on('data', () => /listening on/.test(stderr) && finish());
				} else child.stdout.resume();
				child.on('exit', (code) =>
					code === 0 ? finish() : reject(new Error(`${c.name} exited ${code}: ${stderr}`)),
				);
			});
			await done;
			await stop(child);
			const texts = loaded(log);
			assert.equal(
				has(texts, INK),
				c.ink,
				`Ink ${c.ink ? '' : 'not '}loaded: ${[...texts.keys()].join(', ')}`,
			);
			assert.equal(
				has(texts, SOCKET_IO_SERVER),
				c.socketIoServer,
				`Socket.IO server ${c.socketIoServer ? '' : 'not '}loaded: ${[...texts.keys()].join(', ')}`,
			);
			assert.equal(
				has(texts, REDIS),
				c.redis ?? false,
				`Redis ${c.redis ? '' : 'not '}loaded: ${[...texts.keys()].join(', ')}`,
			);
		});
	}

	test('the TUI connecting to a running server: Ink, no Socket.IO server', async (t) => {
		const tmux = new Tmux();
		t.after(() => tmux.kill());
		const log = path.join(temp.dir, 'tui.loads');
		const pane = tmux.open(
			'tui',
			[process.execPath, '--import', hook, cliPath, '--port', String(server.port)],
			{...env(temp.dir, {MPM_TEST_LOADS: log}), CI: 'false', TERM: 'xterm-256color'},
			{columns: 100, rows: 30},
		);
		await pane.waitFor((screen) => screen.includes('● connected'), 'the TUI to connect', 15_000);
		pane.keys('q');
		assert.equal(await pane.waitExit(), 0);
		const texts = loaded(log);
		assert.ok(has(texts, INK), 'Ink is loaded');
		assert.ok(!has(texts, SOCKET_IO_SERVER), `no Socket.IO server: ${[...texts.keys()].join(', ')}`);
	});
});
