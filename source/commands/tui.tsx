/**
 * `mpm-tui`: the live monitor. Draws its first frame at once (the header says `◌ starting` and the
 * address), then hosts the server or connects to one (tui-link.ts), or plays a recording
 * (`--replay`: tui-replay.ts); feeds the event store (tui-store.ts); on quit unmounts, restores
 * the terminal (tui-terminal.ts) and shuts the hosted server down gracefully.
 */
import React from 'react';
import {render} from 'ink';
import type {Config} from '../config.js';
import {App} from '../tui/app/App.js';
import type {ReplayPlayer} from '../tui/sources/replay.js';
import {defaultExportName, exportEvents} from '../tui/tabs/events/export-events.js';
import {TuiLink} from './tui-link.js';
import {startReplay} from './tui-replay.js';
import {TuiStats} from './tui-stats.js';
import {createTuiStore} from './tui-store.js';
import {openTerminal} from './tui-terminal.js';

export interface TuiOptions {
	demo: boolean;
	replay?: string;
	/** Above 0 (cli.tsx checks `--speed`). */
	speed: number;
}

function fail(message: string, code = 2): number {
	process.stderr.write(`mpm-tui: ${message}\n`);
	return code;
}

export async function runTui(config: Config, options: TuiOptions): Promise<number> {
	if (!process.stdin.isTTY || !process.stdout.isTTY) {
		return fail('the monitor needs a terminal. For pipes use `mpm-tui --server-only` or `mpm-tui tail`.');
	}
	if (options.replay && options.demo) return fail('--demo and --replay cannot be combined: pick one');
	const created = createTuiStore(config);
	if ('error' in created) return fail(created.error);
	const {store, filter} = created;
	const log = (line: string) => store.setNotice(line);

	let player: ReplayPlayer | null = null;
	let link: TuiLink | null = null;
	if (options.replay) {
		// A bad file is a one-line error before anything is drawn, as with the other flags.
		const replay = await startReplay(options.replay, options.speed, store);
		if ('error' in replay) return fail(replay.error, 1);
		player = replay.player;
	} else {
		// Drawn in the first frame; the link says what it became once the probe has answered.
		store.setLink({status: 'starting', address: config.url, attempt: 0});
		link = new TuiLink(config, store, log, options.demo);
	}

	const stats = new TuiStats(process.env.MPM_TUI_STATS_FILE, () => store.total);
	const terminal = openTerminal();
	let failure: unknown = null;
	try {
		const instance = render(
			<App
				store={store}
				paint={terminal.paint}
				filter={filter}
				defaultExportPath={() => `./${defaultExportName(new Date())}`}
				onQuit={() => terminal.quit()}
				onExport={(file, records) => exportEvents(file, records, process.cwd())}
				onDemo={link?.startDemo}
				onPause={(paused) => player?.setPaused(paused)}
			/>,
			{
				patchConsole: false,
				exitOnCtrlC: false,
				// Snapshots limit data-driven frames to ~10/s; keys may draw sooner than Ink's default 30 fps allows.
				maxFps: 60,
				onRender: ({renderTime}) => stats.frame(renderTime),
			},
		);
		// Ink has written the first frame (render draws synchronously); now the link.
		link?.start(terminal.quit, (error) => {
			failure = error;
		});
		// Ink ends the app by itself only on an error in a component.
		await Promise.race([terminal.quitting, instance.waitUntilExit()]).catch((error: unknown) => {
			failure = error;
		});
		try {
			instance.unmount();
			instance.cleanup();
		} catch (error) {
			// Restoring a vanished terminal's mode fails; there is nothing left to restore.
			if (!terminal.hungUp()) throw error;
		}
	} finally {
		terminal.restore();
		stats.detach();
		player?.stop();
		// A link still being set up (a probe, a server starting) settles before it is closed.
		await link?.close();
	}
	await stats.write();
	terminal.endIfHungUp();
	if (link?.failure) {
		const {message, code} = link.failure;
		return fail(message, code);
	}
	if (failure)
		return fail(`the monitor stopped: ${failure instanceof Error ? failure.message : String(failure)}`, 1);
	return 0;
}
