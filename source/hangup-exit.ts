/**
 * Ends the process by SIGHUP instead of exit() when its terminal has gone away.
 *
 * Node records the settings of every standard stream that is a terminal when it starts, and its
 * exit handler puts them back. On a terminal that has hung up (its window closed, its tmux server
 * killed) that fails with EIO; Node then aborts, and the abort crashes with SIGSEGV in libgcc_s
 * while printing its stack (the `mpm-tui … segfault … in libgcc_s.so.1` lines in dmesg). Any exit
 * can meet a hung-up terminal: an error printed before the monitor started (the stream Node makes
 * for a hung-up terminal is a file stream whose writes throw EIO), an uncaught exception, a drained
 * event loop. A process ended by a signal skips the exit handler, so the `exit` listener below
 * raises SIGHUP, which a hung-up terminal sends anyway, and the process ends as a terminal program
 * does (status 129 in a shell).
 */
import fs from 'node:fs';
import tty from 'node:tty';

/** What the system says of one standard stream. */
export interface StreamFacts {
	/** Whether the descriptor is a terminal now (false once it has hung up). */
	isatty: boolean;
	/** The descriptor's path (`/dev/pts/4`, `/dev/pts/4 (deleted)` after a hangup), or null when unknown. */
	path: string | null;
}

const TERMINAL_PATH = /^\/dev\/(?:pts\/\d+|tty[^/]*|console)(?: \(deleted\))?$/;

/** A terminal device that no longer answers as a terminal: it has hung up. */
export function isHungUp(facts: StreamFacts): boolean {
	return !facts.isatty && facts.path !== null && TERMINAL_PATH.test(facts.path);
}

function streamFacts(fd: number): StreamFacts {
	let path: string | null = null;
	try {
		// Linux names each open descriptor here; elsewhere the path is unknown and nothing changes.
		path = fs.readlinkSync(`/proc/self/fd/${fd}`);
	} catch {
		path = null;
	}
	return {isatty: tty.isatty(fd), path};
}

/** Whether stdin, stdout or stderr is a terminal that has hung up. */
export function terminalHungUp(): boolean {
	return [0, 1, 2].some((fd) => isHungUp(streamFacts(fd)));
}

/** The `exit` listener: on a hung-up terminal, end by SIGHUP before Node's exit handler runs. */
export function endByHangupIfTerminalGone(): void {
	if (!terminalHungUp()) return;
	// With no listener left, SIGHUP takes its default action: the process ends at once.
	process.removeAllListeners('SIGHUP');
	process.kill(process.pid, 'SIGHUP');
}
