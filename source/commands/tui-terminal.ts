/**
 * The monitor's terminal: the alternate screen, colours by the terminal (colour-mode.ts), quitting
 * on SIGINT/SIGTERM, and the hangup. The terminal went away (its window closed: SIGHUP; reading it
 * ended, which a terminal in raw mode never does otherwise, when no SIGHUP comes because its shell
 * outlived it; or reading or writing it failed with EIO). Nothing more may be written to it, and
 * the process must not end through exit(): Node's exit handler restores the terminal's saved
 * settings, aborts when that fails on a vanished terminal, and crashes (SIGSEGV) while printing the
 * abort's stack. It ends by the hangup signal instead (`endIfHungUp`).
 */
import chalk from 'chalk';
import tty from 'node:tty';
import {colourMode, type ColourMode} from './colour-mode.js';

const ALT_SCREEN_ON = '\u001B[?1049h';
const ALT_SCREEN_OFF = '\u001B[?1049l';

export interface TuiTerminal {
	/** Settles when the monitor should quit (a key, a signal, a hangup, a failed link). */
	readonly quitting: Promise<void>;
	quit(): void;
	/** Whether the terminal went away. */
	hungUp(): boolean;
	readonly paint: ColourMode['paint'];
	/** Leaves the alternate screen (unless the terminal is gone) and stops listening for signals. */
	restore(): void;
	/** After the shutdown: on a hung-up terminal, ends the process by SIGHUP. */
	endIfHungUp(): void;
}

export function openTerminal(): TuiTerminal {
	let quit!: () => void;
	const quitting = new Promise<void>((resolve) => {
		quit = resolve;
	});
	const onSignal = () => quit();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
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
	return {
		quitting,
		quit,
		hungUp: () => hungUp,
		paint: colours.paint,
		restore() {
			if (!hungUp) process.stdout.write(ALT_SCREEN_OFF);
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			process.off('SIGHUP', onHangup);
		},
		endIfHungUp() {
			if (!hungUp) return;
			// Shut down: end by the signal's default action. Other SIGHUP listeners (Ink's signal-exit
			// restores the cursor) would only write to the vanished terminal. The stdio error listeners
			// stay: Ink may still fail a write to it until then.
			process.removeAllListeners('SIGHUP');
			process.kill(process.pid, 'SIGHUP');
		},
	};
}
