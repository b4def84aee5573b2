#!/usr/bin/env node
/**
 * mpm-tui entry: parses the command line (meow), resolves configuration, and hands off to one
 * mode. Each mode is imported lazily so that e.g. `--server-only` never loads Ink or React; in
 * the bundle (scripts/build.mjs) each is a chunk of its own. The bundle is built with
 * `process.env.NODE_ENV` defined as "production", so React runs its production build.
 */

import meow, {type AnyFlags} from 'meow';
import os from 'node:os';
import {flagName, joinDashValues, usageErrorText} from './cli-args.js';
import {ConfigError, numberFlag, resolveConfig, type Config} from './config.js';
import {endByHangupIfTerminalGone} from './hangup-exit.js';
import {outliveClosedReader} from './stdout-closed.js';

// Before anything can end the process: an exit on a hung-up terminal crashes Node (hangup-exit.ts).
process.on('exit', endByHangupIfTerminalGone);
outliveClosedReader(process.stdout);

const HELP = `
  Usage
    $ mpm-tui                      live monitor (hosts the server if none is running)
    $ mpm-tui --server-only        headless server; every event as NDJSON on stdout
    $ mpm-tui tail [--since SEQ]   print a running server's events as NDJSON
    $ mpm-tui emit [JSON]          send one event (argument or stdin) to the server
    $ mpm-tui hooks install|uninstall|status [--scope user|project|local]
    $ mpm-tui server start|stop|status|restart|logs   the server as a background daemon
    $ mpm-tui server logs -f        print the daemon's log as it is written (like tail -F)
    $ mpm-tui server unit [--format systemd|launchd]  print a service file to run it at login

  Options
    --port N            server port (default 8765; env MPM_TUI_PORT, CLAUDE_MPM_SOCKETIO_PORT)
    --host ADDR         bind address (default 127.0.0.1; non-loopback needs --token)
    --connect URL       connect to this server, never host one
    --token T           shared secret for HTTP and Socket.IO (env MPM_TUI_TOKEN)
    --history N         events kept in memory (default 10000)
    --history-bytes S   bytes of events kept in memory (default 256M; e.g. 64M, 1G)
    --journal PATH      journal file (default journal.ndjson in the state dir: $MPM_TUI_STATE_DIR,
                        else $XDG_STATE_HOME/mpm-tui, else ~/.local/state/mpm-tui)
    --no-journal        keep history in memory only
    --filter QUERY      e.g. 'type:PreToolUse tool:Bash -type:Notification npm'
    --otel-keep-identity  keep user.email and account ids in OTLP telemetry (dropped by default)
    --no-transcripts    do not read the transcripts hook events name (usage and $)
    --transcripts-from-start  read a transcript from its start, not from where it stands
    --redis URL         one instance of a team server on this Redis (env MPM_TUI_REDIS_URL; docs/team.md)
    --demo              stream realistic demo sessions through the real pipeline
    --replay FILE       open a recorded NDJSON stream (--speed N, default 1)
    --since SEQ         (tail) start after this seq; default: live only
    --scope S           (hooks) user, project or local (default user)
    --forwarder F       (hooks install) node or sh (default: sh when sh and curl exist)
    --telemetry         (hooks install) also send Claude Code's telemetry here (settings env)
    --transport T       (hooks install) command (default: a forwarder process per event) or http
                        (Claude Code posts each event itself; needs a running server, else --force)
    --force             (hooks) http hooks without a server or token, or a read-only settings file
    --dry-run           (hooks) print the change, write nothing
    --ndjson FILE       (--server-only, server start) append the NDJSON stream to FILE
    --timeout S         (server start|stop|restart) seconds to wait (start 15, stop 10)
    --lines N           (server logs) how many of the last lines to print (default 50)
    --follow, -f        (server logs) then print each new line as it is written, until Ctrl-C
    --help, --version   print this help or the version and do nothing else, wherever they stand

  Keys in the monitor: press ? for the full list.
  Docs: docs/usage.md, docs/keys.md, docs/protocol.md, docs/configuration.md
`;

const FLAGS = {
	// Declared so that they are read wherever they stand (below); meow's own autoHelp and
	// autoVersion act only when the flag is the one argument.
	help: {type: 'boolean'},
	version: {type: 'boolean'},
	serverOnly: {type: 'boolean', default: false},
	port: {type: 'string'},
	host: {type: 'string'},
	connect: {type: 'string'},
	token: {type: 'string'},
	history: {type: 'string'},
	historyBytes: {type: 'string'},
	journal: {type: 'string'},
	filter: {type: 'string'},
	transcripts: {type: 'boolean'},
	transcriptsFromStart: {type: 'boolean'},
	redis: {type: 'string'},
	demo: {type: 'boolean', default: false},
	replay: {type: 'string'},
	speed: {type: 'string'},
	since: {type: 'string'},
	scope: {type: 'string', default: 'user'},
	forwarder: {type: 'string'},
	dryRun: {type: 'boolean', default: false},
	telemetry: {type: 'boolean', default: false},
	transport: {type: 'string'},
	force: {type: 'boolean', default: false},
	otelKeepIdentity: {type: 'boolean'},
	ndjson: {type: 'string'},
	timeout: {type: 'string'},
	lines: {type: 'string'},
	follow: {type: 'boolean', shortFlag: 'f', default: false},
	format: {type: 'string'},
	// Internal: what `server start` runs (log and PID file in the state dir, no stdout stream).
	daemon: {type: 'boolean', default: false},
} satisfies AnyFlags;

function fail(message: string, code = 2): never {
	process.stderr.write(`mpm-tui: ${message}\n`);
	process.exit(code);
}

// The flags that take a value, as typed: they may take one that begins with '-' (cli-args.ts).
const valueFlags = new Set(
	Object.entries(FLAGS)
		.filter(([, flag]) => flag.type === 'string')
		.map(([key]) => flagName(key)),
);
const argv = joinDashValues(process.argv.slice(2), valueFlags);

function parse() {
	try {
		return meow(HELP, {
			importMeta: import.meta,
			argv,
			autoHelp: true,
			autoVersion: true,
			allowUnknownFlags: false,
			// An absent boolean flag is left out, not made false: only a flag that was given may
			// override its environment variable (MPM_TUI_OTEL_KEEP_IDENTITY, MPM_TUI_TRANSCRIPTS, …).
			// `--no-X` gives false, also for --no-journal.
			booleanDefault: undefined,
			flags: FLAGS,
		});
	} catch (error) {
		// A flag given twice: meow throws, which would end in a stack trace (cli-args.ts).
		return fail(usageErrorText(error));
	}
}
const cli = parse();

// `--help` (or `--version`) anywhere, even after a command, only prints: `hooks install --help`
// must not write settings, nor `server start --help` start a daemon. A `--help` after `--` is an
// argument, not this flag.
if (cli.flags.help === true) cli.showHelp(0);
if (cli.flags.version === true) cli.showVersion();

// A flag that takes a value, given an empty one (`--token ''`, `--token "$UNSET"`, or `--token`
// last on the line): refused, never taken as if it were not given (no token, the default journal).
for (const [key, value] of Object.entries(cli.flags)) {
	if (value === '' && valueFlags.has(flagName(key))) fail(`--${flagName(key)} needs a value`);
}

async function main(): Promise<number> {
	const flags = cli.flags as typeof cli.flags & {journal?: string | boolean};
	let config: Config;
	let numbers: {since?: number; speed?: number; timeout?: number; lines?: number};
	try {
		// Read as typed, as resolveConfig reads --port and --history (config.ts).
		numbers = {
			since: numberFlag(flags.since, 'whole', '--since takes a seq (a whole number ≥ 0)'),
			speed: numberFlag(flags.speed, 'positive', '--speed must be a number above 0'),
			timeout: numberFlag(flags.timeout, 'positive', '--timeout must be a number of seconds above 0'),
			lines: numberFlag(flags.lines, 'whole', '--lines must be a whole number from 0'),
		};
		config = resolveConfig(
			{
				port: flags.port,
				host: flags.host,
				connect: flags.connect,
				token: flags.token,
				history: flags.history,
				historyBytes: flags.historyBytes,
				journal: flags.journal,
				filter: flags.filter,
				otelKeepIdentity: flags.otelKeepIdentity,
				transcripts: flags.transcripts,
				transcriptsFromStart: flags.transcriptsFromStart,
				redis: flags.redis,
			},
			process.env,
			os.homedir(),
		);
	} catch (error) {
		if (error instanceof ConfigError) fail(error.message);
		throw error;
	}

	const [command, ...rest] = cli.input;
	switch (command) {
		case undefined: {
			if (flags.serverOnly) {
				const {runServerOnly} = await import('./commands/server-only.js');
				return runServerOnly(config, {daemon: flags.daemon, ndjson: flags.ndjson});
			}
			const {runTui} = await import('./commands/tui.js');
			return runTui(config, {demo: flags.demo, replay: flags.replay, speed: numbers.speed ?? 1});
		}
		case 'tail': {
			const {runTail} = await import('./commands/tail.js');
			return runTail(config, {since: numbers.since});
		}
		case 'emit': {
			const {runEmit} = await import('./commands/emit.js');
			return runEmit(config, rest.join(' '));
		}
		case 'hooks': {
			const {runHooks} = await import('./commands/hooks.js');
			return runHooks(config, rest[0], {
				scope: flags.scope,
				forwarder: flags.forwarder,
				dryRun: flags.dryRun,
				telemetry: flags.telemetry,
				transport: flags.transport,
				force: flags.force,
			});
		}
		case 'server': {
			const {runServerDaemon} = await import('./commands/server-daemon.js');
			return runServerDaemon(config, rest[0], {
				ndjson: flags.ndjson,
				timeout: numbers.timeout,
				lines: numbers.lines,
				follow: flags.follow,
				format: flags.format,
			});
		}
		default:
			return fail(`unknown command "${command}". Run mpm-tui --help for the commands.`);
	}
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`mpm-tui: ${error instanceof Error ? error.message : String(error)}\n`);
		// MPM_TUI_DEBUG (any value but empty) does this and nothing else (configuration.md).
		if (process.env.MPM_TUI_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
		process.exitCode = 1;
	},
);
