/**
 * `mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--transport command|http] [--force] [--telemetry] [--dry-run]`:
 * writes, removes and reports mpm-tui's entries in Claude Code's settings files (hooks, and with
 * `--telemetry` the OpenTelemetry variables of the `env` block). Each subcommand is a module:
 * hooks-install.ts, hooks-uninstall.ts, hooks-status.ts (the steps install and uninstall share in
 * hooks-write.ts, the telemetry variables in hooks-telemetry.ts). The merge logic is in
 * source/hook/settings-merge.ts and source/hook/telemetry-env.ts, the file handling (and the backup uninstall gives back) in
 * source/hook/settings-file.ts, the project scope's command for any machine in
 * source/hook/portable-command.ts, the http transport in hooks-transport.ts.
 */
import type {Config} from '../config.js';
import {showControls} from '../core/terminal-safe.js';
import {ForwarderError} from '../hook/forwarder-command.js';
import {parseScope, ScopeError} from '../hook/scopes.js';
import {SettingsFileError} from '../hook/settings-file.js';
import {TransportError} from '../hook/http-hook.js';
import {defaultContext, type HooksContext, type HooksOptions} from './hooks-context.js';
import {install} from './hooks-install.js';
import {status} from './hooks-status.js';
import {uninstall} from './hooks-uninstall.js';

export type {HooksContext, HooksOptions} from './hooks-context.js';

const USAGE =
	'usage: mpm-tui hooks install|uninstall|status [--scope user|project|local] [--forwarder node|sh] [--transport command|http] [--force] [--telemetry] [--dry-run]';

/**
 * What the command prints carries text from settings files (commands, event names, the diff, parse
 * errors), and a project's file comes with the repository: control characters are shown, never
 * acted on. Line breaks and tabs stay as layout.
 */
function terminalSafe(text: string): string {
	return text
		.split('\n')
		.map((line) => line.split('\t').map(showControls).join('\t'))
		.join('\n');
}

export async function runHooks(
	config: Config,
	sub: string | undefined,
	options: HooksOptions = {},
	unsafe: HooksContext = defaultContext(),
): Promise<number> {
	const context: HooksContext = {
		...unsafe,
		out: (text) => unsafe.out(terminalSafe(text)),
		err: (text) => unsafe.err(terminalSafe(text)),
	};
	const fail = (message: string, code: number): number => {
		context.err(`mpm-tui hooks: ${message}\n`);
		return code;
	};
	try {
		switch (sub) {
			case 'install': {
				const scope = parseScope(options.scope);
				if (options.telemetry && scope === 'project') return fail(PROJECT_TELEMETRY, 2);
				return await install(scope, options, context, config);
			}
			case 'uninstall':
				return uninstall(parseScope(options.scope), options, context, config);
			case 'status':
				parseScope(options.scope);
				return await status(config, context);
			default:
				return fail(sub === undefined ? `which one?\n${USAGE}` : `unknown subcommand "${sub}"\n${USAGE}`, 2);
		}
	} catch (error) {
		if (error instanceof ScopeError || error instanceof ForwarderError || error instanceof TransportError)
			return fail(error.message, 2);
		if (error instanceof SettingsFileError) return fail(error.message, 1);
		throw error;
	}
}

/** Why `--telemetry` is refused for the project scope. */
const PROJECT_TELEMETRY =
	"--telemetry is not written to the project scope: .claude/settings.json is shared with the repository, and its env block would send every teammate's Claude Code telemetry to this machine's address (and carry the token, if one is set). Use --scope local (.claude/settings.local.json, this machine only) or --scope user.";
