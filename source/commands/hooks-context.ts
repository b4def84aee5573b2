/** What `mpm-tui hooks` (hooks.ts) is asked, and where it looks and writes. */
import os from 'node:os';
import type {Places} from '../hook/scopes.js';

export interface HooksOptions {
	scope?: string;
	forwarder?: string;
	dryRun?: boolean;
	/** Also write the telemetry variables (install). */
	telemetry?: boolean;
	/** `command` (default) or `http` (install). */
	transport?: string;
	/** Install http hooks even when no server answers. */
	force?: boolean;
}

/** Where the command looks and writes; tests pass temporary places. */
export interface HooksContext extends Places {
	out: (text: string) => void;
	err: (text: string) => void;
}

export function defaultContext(): HooksContext {
	return {
		home: os.homedir(),
		cwd: process.cwd(),
		env: process.env,
		out: (text) => process.stdout.write(text),
		err: (text) => process.stderr.write(text),
	};
}
