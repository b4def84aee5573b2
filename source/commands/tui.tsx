/**
 * `mpm-tui`: the live monitor. Draws its first frame at once (the header says `◌ starting` and the
 * address), then hosts the server or connects to one (host-or-connect), or plays a recording
 * (`--replay`); feeds the event store; on quit unmounts, restores the terminal and shuts the
 * hosted server down gracefully. What the first frame does not draw (the link: probe, server,
 * Socket.IO client; the demo; the export) is imported after it.
 */
import React from 'react';
import {render} from 'ink';
import chalk from 'chalk';
import tty from 'node:tty';
import {promises as fs} from 'node:fs';
import path from 'node:path';
import type {Config} from '../config.js';
import {compileFilterFlag} from '../core/filter.js';
import type {Connection, ConnectionState} from '../client/connection.js';
import {App} from '../tui/app/App.js';
import {EventStore, type LinkInfo, type Predicate} from '../tui/event-store/event-store.js';
import type {EventRecord} from '../core/record.js';
import type {DemoFeed, DemoSink} from '../tui/sources/demo-feed.js';
import type {ReplayPlayer} from '../tui/sources/replay.js';
import {defaultExportName, exportEvents} from '../tui/tabs/events/export-events.js';
import type {MpmServer} from '../server/server.js';
import {colourMode} from './colour-mode.js';

export interface TuiOptions {
	demo: boolean;
	replay?: string;
	speed: number;
}

const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';

function fail(message: string, code = 2): number {
	process.stderr.write(`mpm-tui: ${message}\n`);
	return code;
}

function linkFrom(
	state: ConnectionState,
	address: string,
	hosting: boolean,
	note?: string,
): Partial<LinkInfo> {
	const status = state.status === 'connected' ? (hosting ? 'hosting' : 'connected') : state.status;
	return {status, address, attempt: state.attempt, error: state.error, note};
}

export async function runTui(config: Config, options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		return fail('the monitor needs a terminal. For pipes use `mpm-tui --server-only` or `mpm-tui tail`.');
	}
	if (!Number.isFinite(options.speed) || options.speed <= 0)
		return fail(`--speed must be a number above 0, got ${options.speed}`);
	if (options.replay && options.demo) return fail('--demo and --replay cannot be combined: pick one');
	const store = new EventStore(config.history, config.historyBytes);
	let filterOption: {text: string; test: Predicate} | undefined;
	const filter = compileFilterFlag(config.filter);
	if (!filter.ok) return fail(filter.error);
	if (filter.test) {
		filterOption = {text: config.filter.trim(), test: filter.test};
		store.setQuery(filter.test, '');
	}

	let server: MpmServer | null = null;
	let connection: Connection | null = null;
	let player: ReplayPlayer | null = null;
	let demo: DemoFeed | null = null;
	let demoSink: DemoSink | null = null;
	let startDemoFeed: typeof import('../tui/sources/demo-feed.js').startDemoFeed | null = null;
	const log = (line: string) => store.setNotice(line);

	if (options.replay) {
		// A bad file is a one-line error before anything is drawn, as with the other flags.
		const {loadReplay, playReplay, ReplayError} = await import('../tui/sources/replay.js');
		let loaded;
		try {
			loaded = await loadReplay(options.replay);
		} catch (error) {
			if (error instanceof ReplayError) return fail(error.message, 1);
			throw error;
		}
		store.setLink({
			status: 'replay',
			address: path.basename(options.replay),
			attempt: 0,
			note: options.speed === 1 ? undefined : `×${options.speed}`,
		});
		if (loaded.bad > 0)
			store.setNotice(
				`skipped ${loaded.bad} bad line${loaded.bad === 1 ? '' : 's'} (${loaded.firstErrors.join('; ')})`,
			);
		const total = loaded.records.length;
		player = playReplay(
			loaded.records,
			options.speed,
			(batch) => store.append(batch, Date.now()),
			() =>
				store.setNotice(
					`replay finished: ${total} event${total === 1 ? '' : 's'}${loaded.bad > 0 ? `, ${loaded.bad} bad line${loaded.bad === 1 ? '' : 's'} skipped` : ''}`,
				),
		);
	} else {
		// Drawn in the first frame; the link says what it became once the probe has answered.
		store.setLink({status: 'starting', address: config.url, attempt: 0});
	}

	// Set when quitting begins: a link still being set up then opens nothing more.
	let stopping = false;
	/** Why the monitor cannot run (a port held by another program, an unsafe bind, a failed start): printed after the terminal is restored. */
	let linkFailure: {message: string; code: 1 | 2} | null = null;
	// `d` (or --demo) before the link is up starts the demo once it is.
	let demoWanted = options.demo;
	const startDemo = options.replay
		? undefined
		: () => {
				demoWanted = true;
				if (demo || !demoSink || !startDemoFeed || stopping) return;
				demo = startDemoFeed(demoSink, {seed: Date.now() % 2 ** 31, onError: log});
			};

	/** Probes, hosts or connects, and feeds the store; after the first frame. */
	const setUpLink = async (): Promise<void> => {
		// The Socket.IO client loads while the probe waits for its answer.
		const clientModules = Promise.all([
			import('../client/connection.js'),
			import('../tui/sources/claude-mpm-link.js'),
			import('../tui/sources/demo-feed.js'),
		]);
		clientModules.catch(() => {}); // awaited below unless quitting came first
		const {demoSinkFor, hostOrConnect} = await import('./host-or-connect.js');
		if (stopping) return;
		const link = await hostOrConnect(config, log);
		if (link.kind === 'host') server = link.server;
		if (stopping) return;
		if (link.kind === 'error') {
			linkFailure = {message: link.message, code: link.code};
			quit();
			return;
		}
		const [{openConnection}, {openClaudeMpmConnection}, demoFeed] = await clientModules;
		if (stopping) return;
		const hosting = link.kind === 'host';
		const flavor = link.kind === 'client' ? link.flavor : 'mpm-tui';
		const note = flavor === 'claude-mpm' ? '(claude-mpm)' : undefined;
		store.setLink({status: hosting ? 'hosting' : 'connecting', address: link.url, attempt: 0, note, flavor});
		const handlers = {
			// History caught up with at start or on connect happened earlier: not counted in the rate.
			onEvents: (events: EventRecord[], history: boolean) => store.append(events, Date.now(), !history),
			onState: (state: ConnectionState) => store.setLink(linkFrom(state, link.url, hosting, note)),
			onProblem: log,
			onStatus: (status: {problems?: unknown}) =>
				store.setServerProblems(
					Array.isArray(status.problems)
						? status.problems.filter((p): p is string => typeof p === 'string').slice(0, 5)
						: [],
				),
		};
		connection =
			link.kind === 'client' && link.flavor === 'claude-mpm'
				? openClaudeMpmConnection({url: link.url, token: config.token}, handlers)
				: openConnection({url: link.url, token: config.token, historyLimit: config.history}, handlers);
		demoSink = demoSinkFor(link, config.token);
		startDemoFeed = demoFeed.startDemoFeed;
		if (demoWanted) startDemo?.();
	};

	let frames = 0;
	let renderMs = 0;
	const started = Date.now();
	// MPM_TUI_STATS_FILE (benchmarks): frame and event counts, written on exit and on SIGUSR1.
	const statsFile = process.env.MPM_TUI_STATS_FILE;
	const writeStats = async () => {
		if (!statsFile) return;
		const runMs = Date.now() - started;
		await fs.writeFile(
			statsFile,
			`${JSON.stringify({frames, renderMs: Math.round(renderMs), runMs, framesPerSecond: frames / Math.max(0.001, runMs / 1000), events: store.total})}\n`,
		);
	};
	const onStatsSignal = () => {
		writeStats().catch(() => {});
	};
	if (statsFile) process.on('SIGUSR1', onStatsSignal);
	let quit!: () => void;
	const quitting = new Promise<void>((resolve) => {
		quit = resolve;
	});
	const onSignal = () => quit();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	// The terminal went away (its window closed: SIGHUP; reading it ended, which a terminal in raw
	// mode never does otherwise, when no SIGHUP comes because its shell outlived it; or reading or
	// writing it failed with EIO).
	// Nothing more may be written to it, and the process must not end through exit(): Node's exit
	// handler restores the terminal's saved settings, aborts when that fails on a vanished terminal,
	// and crashes (SIGSEGV) while printing the abort's stack. It ends by the hangup signal instead.
	let hungUp = false;
	const onHangup = () => {
		hungUp = true;
		quit();
	};
	process.on('SIGHUP', onHangup);
	process.stdout.on('error', onHangup);
	process.stdin.on('error', onHangup);
	process.stdin.on('end', onHangup);

	// Colours by the terminal, NO_COLOR and FORCE_COLOR, not by CI (colour-mode.ts). Ink draws
	// through chalk's shared instance, whose level is read at each draw.
	const colours = colourMode(process.env, (env) =>
		tty.WriteStream.prototype.getColorDepth.call(process.stdout, env),
	);
	chalk.level = colours.level;

	process.stdout.write(ALT_SCREEN_ON);
	let failure: unknown = null;
	let linking: Promise<void> = Promise.resolve();
	try {
		const instance = render(
			<App
				store={store}
				paint={colours.paint}
				filter={filterOption}
				defaultExportPath={() => `./${defaultExportName(new Date())}`}
				onQuit={() => quit()}
				onExport={(file, records) => exportEvents(file, records, process.cwd())}
				onDemo={startDemo}
				onPause={(paused) => player?.setPaused(paused)}
			/>,
			{
				patchConsole: false,
				exitOnCtrlC: false,
				// Snapshots limit data-driven frames to ~10/s; keys may draw sooner than Ink's default 30 fps allows.
				maxFps: 60,
				onRender: ({renderTime}) => {
					frames++;
					renderMs += renderTime;
				},
			},
		);
		// Ink has written the first frame (render draws synchronously); now the link.
		if (!options.replay) {
			linking = setUpLink().catch((error: unknown) => {
				failure = error;
				quit();
			});
		}
		// Ink ends the app by itself only on an error in a component.
		await Promise.race([quitting, instance.waitUntilExit()]).catch((error: unknown) => {
			failure = error;
		});
		try {
			instance.unmount();
			instance.cleanup();
		} catch (error) {
			// Restoring a vanished terminal's mode fails; there is nothing left to restore.
			if (!hungUp) throw error;
		}
	} finally {
		stopping = true;
		if (!hungUp) process.stdout.write(ALT_SCREEN_OFF);
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onHangup);
		if (statsFile) process.off('SIGUSR1', onStatsSignal);
		(demo as DemoFeed | null)?.stop();
		player?.stop();
		// A link still being set up (a probe, a server starting) settles before it is closed.
		await linking;
		(connection as Connection | null)?.close();
		if (server) await (server as MpmServer).close();
	}
	await writeStats();
	if (hungUp) {
		// Shut down: end by the signal's default action. Other SIGHUP listeners (Ink's signal-exit
		// restores the cursor) would only write to the vanished terminal. The stdio error listeners
		// stay: Ink may still fail a write to it until then.
		process.removeAllListeners('SIGHUP');
		process.kill(process.pid, 'SIGHUP');
	}
	if (linkFailure) {
		const {message, code} = linkFailure;
		return fail(message, code);
	}
	if (failure)
		return fail(`the monitor stopped: ${failure instanceof Error ? failure.message : String(failure)}`, 1);
	return 0;
}
