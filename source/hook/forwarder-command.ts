/**
 * Finds the built forwarders and writes the command line Claude Code will run: absolute paths,
 * quoted for the shell. The sh + curl forwarder is preferred when both are on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export type ForwarderKind = 'node' | 'sh';

/** The package root: this module lives in source/hook (tsx) or dist/hook (built). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const forwarderFiles: Record<ForwarderKind, string> = {
	node: path.join(packageRoot, 'dist', 'hook', 'forward.cjs'),
	sh: path.join(packageRoot, 'dist', 'hook', 'mpm-tui-hook.sh'),
};

export class ForwarderError extends Error {}

/** First executable named `name` on PATH, or null. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | null {
	for (const dir of envPath.split(path.delimiter)) {
		if (!dir) continue;
		const candidate = path.join(dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			if (fs.statSync(candidate).isFile()) return candidate;
		} catch {
			// Not here.
		}
	}
	return null;
}

/** Single-quotes a word for sh when it holds anything beyond plain path characters. */
export function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a command line written by `shellQuote` (plain words and single-quoted words). */
export function shellWords(command: string): string[] {
	const words: string[] = [];
	const re = /\s*((?:'[^']*'|\\'|[^\s'\\]+)+)/g;
	for (let m = re.exec(command); m; m = re.exec(command)) {
		words.push(
			m[1].replace(
				/'([^']*)'|\\(')/g,
				(_all, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? '',
			),
		);
	}
	return words;
}

export interface ForwarderChoice {
	kind: ForwarderKind;
	command: string;
	/** Why this one (for the install message). */
	reason: string;
}

export function chooseForwarder(
	requested: string | undefined,
	envPath = process.env.PATH ?? '',
): ForwarderChoice {
	if (requested !== undefined && requested !== 'node' && requested !== 'sh') {
		throw new ForwarderError(`--forwarder takes node or sh, got ${JSON.stringify(requested)}`);
	}
	const sh = findOnPath('sh', envPath);
	const curl = findOnPath('curl', envPath);
	let kind: ForwarderKind;
	let reason: string;
	if (requested === 'sh') {
		if (!sh) throw new ForwarderError('--forwarder sh needs sh on PATH');
		if (!curl) throw new ForwarderError('--forwarder sh needs curl on PATH (or use --forwarder node)');
		kind = 'sh';
		reason = 'asked for with --forwarder sh';
	} else if (requested === 'node') {
		kind = 'node';
		reason = 'asked for with --forwarder node';
	} else if (sh && curl) {
		kind = 'sh';
		reason = 'sh and curl are on PATH (fastest)';
	} else {
		kind = 'node';
		reason = `${sh ? 'curl' : 'sh'} is not on PATH`;
	}
	const file = forwarderFiles[kind];
	if (!fs.existsSync(file))
		throw new ForwarderError(`the ${kind} forwarder is not built (${file} is missing): run npm run build`);
	const runner = kind === 'sh' ? (sh as string) : process.execPath;
	return {kind, command: `${shellQuote(runner)} ${shellQuote(file)}`, reason};
}

/** Absolute paths in an installed command and whether each exists (for `hooks status`). */
export function commandPaths(command: string): Array<{path: string; exists: boolean}> {
	return shellWords(command)
		.filter((word) => path.isAbsolute(word))
		.map((p) => ({path: p, exists: fs.existsSync(p)}));
}
