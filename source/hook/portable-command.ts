/**
 * The command `hooks install --scope project` writes. `.claude/settings.json` is committed with
 * the repository, so the command names no path of this machine: it runs the forwarder that npm puts
 * on PATH (`npm i -g mpm-tui`, `npm link`) on whichever machine Claude Code runs it. The sh + curl
 * forwarder (`mpm-tui-hook-sh`) when curl is there too, else the Node one (`mpm-tui-hook`).
 *
 * On a machine without mpm-tui it prints nothing and exits 0 (any other code would show an error
 * notice in the session, 2 would block the tool call). It still reads its input: a hook that exits
 * before Claude Code has written the event makes that write fail, which Claude Code reports as a
 * hook error. A `cat` in the background takes the input instead of the shell waiting for it (stdin
 * is sometimes left open); fd 3 carries stdin to it because sh gives a background command
 * /dev/null as stdin unless told otherwise.
 */
import {findOnPath, ForwarderError, type ForwarderKind} from './forwarder-command.js';

/** The forwarders' names on PATH (package.json `bin`). */
export const PATH_BINS: Readonly<Record<ForwarderKind, string>> = {
	sh: 'mpm-tui-hook-sh',
	node: 'mpm-tui-hook',
};

const found = (name: string) => `command -v ${name} >/dev/null 2>&1`;

/** Reads stdin in the background and exits 0: what the command does where mpm-tui is not installed. */
const NOTHING_HERE = 'exec 3<&0; cat <&3 >/dev/null 2>&1 & exit 0';

/** The command line; `kind` pins one forwarder (`--forwarder`), else sh + curl first, then Node. */
export function portableCommand(kind?: ForwarderKind): string {
	const sh =
		kind === 'sh'
			? `${found(PATH_BINS.sh)} && exec ${PATH_BINS.sh}`
			: `${found(PATH_BINS.sh)} && ${found('curl')} && exec ${PATH_BINS.sh}`;
	const node = `${found(PATH_BINS.node)} && exec ${PATH_BINS.node}`;
	const tries = kind === 'sh' ? [sh] : kind === 'node' ? [node] : [sh, node];
	return [...tries, NOTHING_HERE].join('; ');
}

export function parseForwarderOption(requested: string | undefined): ForwarderKind | undefined {
	if (requested === undefined || requested === 'node' || requested === 'sh') return requested;
	throw new ForwarderError(`--forwarder takes node or sh, got ${JSON.stringify(requested)}`);
}

/** A command written by portableCommand (it looks its forwarder up on PATH and names no file). */
export function isPortableCommand(command: string): boolean {
	return (
		command.startsWith(`command -v ${PATH_BINS.sh} `) || command.startsWith(`command -v ${PATH_BINS.node} `)
	);
}

export interface PortableTarget {
	kind: ForwarderKind;
	/** Where the forwarder was found on PATH. */
	path: string;
}

/** What a portable command runs with this PATH, as the command itself decides; null: nothing (mpm-tui is not installed here). */
export function portableTarget(command: string, envPath: string): PortableTarget | null {
	const tries = command.split('; ');
	for (const kind of ['sh', 'node'] as const) {
		const step = tries.find((t) => t.endsWith(`exec ${PATH_BINS[kind]}`));
		if (step === undefined) continue;
		const where = findOnPath(PATH_BINS[kind], envPath);
		if (where === null) continue;
		if (step.includes(found('curl')) && findOnPath('curl', envPath) === null) continue;
		return {kind, path: where};
	}
	return null;
}
