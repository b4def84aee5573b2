/**
 * The command line itself (the built dist/cli.js, an isolated HOME and state dir): `--help`
 * wherever it stands, and how flags are read. Needs the build.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {describe, test} from 'node:test';
import {freePort} from './helpers/free-port.js';
import {spawnCli, spawnServer, tempDir, withTimeout} from './helpers/server-kit.js';

/** An isolated home and state dir, and the port a server there would use. */
async function sandbox(): Promise<{
	home: string;
	stateDir: string;
	env: Record<string, string>;
	port: number;
}> {
	const home = tempDir();
	const stateDir = tempDir();
	const port = await freePort();
	const env = {
		HOME: home,
		XDG_CONFIG_HOME: path.join(home, '.config'),
		MPM_TUI_STATE_DIR: stateDir,
		MPM_TUI_PORT: String(port),
	};
	return {home, stateDir, env, port};
}

async function run(args: string[], env: Record<string, string>) {
	const proc = spawnCli(args, env);
	proc.child.stdin!.end();
	const {code} = await withTimeout(proc.exited, 8000, `mpm-tui ${args.join(' ')} to exit`).catch(
		async (error) => {
			await proc.kill();
			throw error;
		},
	);
	return {code, stdout: proc.stdout(), stderr: proc.stderr()};
}

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

describe('--help anywhere prints the help and does nothing else', () => {
	const forms = [
		['hooks', 'install', '--help'],
		['hooks', 'install', '--scope', 'user', '--help'],
		['server', 'start', '--help'],
		['tail', '--help'],
		['emit', '--help'],
		['hooks', '--help'],
		['--port', '1', '--help'],
		['--server-only', '--help'],
	];
	for (const args of forms) {
		test(`mpm-tui ${args.join(' ')}: the help on stdout, exit 0, nothing written or started`, async () => {
			const box = await sandbox();
			// A server there, so that `tail` would connect and keep running if it ran.
			const server = args[0] === 'tail' ? await spawnServer({MPM_TUI_STATE_DIR: tempDir()}) : null;
			const env = server ? {...box.env, MPM_TUI_PORT: String(server.port)} : box.env;
			try {
				const result = await run(args, env);
				assert.equal(result.code, 0, result.stderr);
				assert.match(result.stdout, /^\s+Usage\n\s+\$ mpm-tui /m);
				assert.equal(result.stderr, '');
				assert.equal(
					fs.existsSync(path.join(box.home, '.claude', 'settings.json')),
					false,
					'no settings written',
				);
				assert.deepEqual(fs.readdirSync(box.stateDir), [], 'nothing in the state dir (no daemon, no lock)');
				assert.equal(await listening(box.port), false, 'nothing listens on the port');
			} finally {
				await server?.kill();
				// Had a daemon been started after all, stop it (the assertion above has failed then).
				if (fs.existsSync(path.join(box.stateDir, 'server.pid'))) await run(['server', 'stop'], box.env);
			}
		});
	}

	test('a "--help" after "--" is an argument, not the flag', async () => {
		const box = await sandbox();
		const result = await run(['emit', '--', '--help'], box.env);
		assert.equal(result.code, 1);
		assert.match(result.stderr, /no server answers at/);
	});

	test('--version anywhere prints the version only', async () => {
		const box = await sandbox();
		const result = await run(['tail', '--version'], box.env);
		assert.equal(result.code, 0);
		assert.equal(result.stdout, `${JSON.parse(fs.readFileSync('package.json', 'utf8')).version}\n`);
	});
});
