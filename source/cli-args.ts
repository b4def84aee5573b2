/**
 * What the command line needs besides meow (cli.tsx): a value that begins with `-`, and meow's
 * own refusals in mpm-tui's words. Pure.
 */

/** `historyBytes` → `history-bytes`: a meow flag key as it is typed. */
export function flagName(key: string): string {
	return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * A flag that takes a value takes the next argument as it, also when that argument begins with
 * one `-`, as getopt does: `--filter -type:Notification` (a negated filter), `--port -1` (refused
 * later with the reason). yargs, under meow, would read such an argument as an unknown flag. One
 * that begins with `--` stays a flag, so a forgotten value is not silently filled with the next
 * flag. Nothing after `--` is touched.
 */
export function joinDashValues(argv: readonly string[], valueFlags: ReadonlySet<string>): string[] {
	const joined: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--') {
			joined.push(...argv.slice(i));
			break;
		}
		const next = argv[i + 1];
		if (arg.startsWith('--') && valueFlags.has(arg.slice(2)) && next !== undefined && /^-(?!-)/.test(next)) {
			joined.push(`${arg}=${next}`);
			i++;
		} else joined.push(arg);
	}
	return joined;
}

/**
 * meow throws for a flag given twice (`The flag --historyBytes can only be set once.`, with the
 * key in camelCase); that is a usage error, said in one line with the flag as it is typed.
 */
export function usageErrorText(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	const twice = /^The flag --(\w+) can only be set once\.$/.exec(message);
	if (twice) return `--${flagName(twice[1])} was given more than once: give it once`;
	return message;
}
