/**
 * `mpm-tui server unit`: a systemd user unit or a launchd agent that runs the daemon at login,
 * printed for the user to install (never installed by mpm-tui). The service runs the same
 * `--server-only --daemon` process `server start` runs, in the foreground of the service manager,
 * so `server status|stop|logs` work on it too. The token is not written into it: the comment says
 * where to put it. Team mode (`--redis`) goes in as `MPM_TUI_REDIS_URL` in its environment, as
 * `server start` passes it; a URL with a password is not written either (the comment names it with
 * the password as `***` and says where to put it), and `redisNote` says so outside the file.
 */
import type {Config} from '../config.js';
import {daemonArgs} from './start.js';

/** One word of a systemd ExecStart line: quoted, with `\`, `"` escaped and `%` doubled (specifiers). */
function systemdWord(word: string): string {
	if (/^[\w@%+=:,./-]+$/.test(word)) return word.replaceAll('%', '%%');
	return `"${word.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')}"`;
}

function xml(text: string): string {
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;');
}

/** The Redis URL when it may be written into the file (no password in it); undefined otherwise. */
function writableRedis(config: Config): string | undefined {
	return config.redis && config.redis.redacted === config.redis.url ? config.redis.url : undefined;
}

/** For a team URL with a password, what the user must add to the printed file (said on stderr, outside it). */
export function redisNote(format: 'systemd' | 'launchd', config: Config): string | undefined {
	if (!config.redis || writableRedis(config) !== undefined) return undefined;
	const where =
		format === 'systemd'
			? 'systemctl --user edit mpm-tui, add [Service] Environment=MPM_TUI_REDIS_URL=…'
			: 'add MPM_TUI_REDIS_URL to EnvironmentVariables';
	return `team mode: the Redis URL holds a password, so it is not written into the service file; until you add it (${where}, ${config.redis.redacted} with the password in place of ***), the service runs a standalone server`;
}

export function serviceUnit(
	format: 'systemd' | 'launchd',
	config: Config,
	node: string,
	cli: string,
): string {
	const command = [node, cli, ...daemonArgs(config, undefined)];
	const redis = writableRedis(config);
	const secretRedis = config.redis && redis === undefined ? config.redis.redacted : undefined;
	if (format === 'systemd') {
		return [
			'# mpm-tui server as a systemd user service. Save as ~/.config/systemd/user/mpm-tui.service, then:',
			'#   systemctl --user daemon-reload && systemctl --user enable --now mpm-tui',
			'# A token (needed off loopback): systemctl --user edit mpm-tui, add [Service] Environment=MPM_TUI_TOKEN=…',
			...(secretRedis
				? [
						`# Team mode: its Redis URL holds a password and is not written here: systemctl --user edit mpm-tui, add [Service] Environment=MPM_TUI_REDIS_URL=… (${secretRedis.replaceAll('%', '%%')} with the password in place of ***); without it the service runs a standalone server`,
					]
				: []),
			'[Unit]',
			'Description=mpm-tui server (Claude Code hook events)',
			'',
			'[Service]',
			`ExecStart=${command.map(systemdWord).join(' ')}`,
			`Environment=${systemdWord(`MPM_TUI_STATE_DIR=${config.stateDir}`)}`,
			...(redis ? [`Environment=${systemdWord(`MPM_TUI_REDIS_URL=${redis}`)}`] : []),
			'StandardOutput=null',
			'Restart=on-failure',
			'',
			'[Install]',
			'WantedBy=default.target',
		].join('\n');
	}
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
		'<!-- mpm-tui server as a launchd agent. Save as ~/Library/LaunchAgents/dev.mpm-tui.server.plist, then:',
		'     launchctl load -w ~/Library/LaunchAgents/dev.mpm-tui.server.plist',
		'     A token (needed off loopback): add MPM_TUI_TOKEN to EnvironmentVariables.',
		...(secretRedis
			? [
					`     Team mode: its Redis URL holds a password and is not written here: add MPM_TUI_REDIS_URL to EnvironmentVariables (${xml(secretRedis).replaceAll('--', '-&#45;')} with the password in place of ***); without it the agent runs a standalone server.`,
				]
			: []),
		'-->',
		'<plist version="1.0">',
		'<dict>',
		'\t<key>Label</key><string>dev.mpm-tui.server</string>',
		'\t<key>ProgramArguments</key>',
		'\t<array>',
		...command.map((word) => `\t\t<string>${xml(word)}</string>`),
		'\t</array>',
		'\t<key>EnvironmentVariables</key>',
		`\t<dict><key>MPM_TUI_STATE_DIR</key><string>${xml(config.stateDir)}</string>${redis ? `<key>MPM_TUI_REDIS_URL</key><string>${xml(redis)}</string>` : ''}</dict>`,
		'\t<key>RunAtLoad</key><true/>',
		'\t<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
		'\t<key>StandardOutPath</key><string>/dev/null</string>',
		`\t<key>StandardErrorPath</key><string>${xml(`${config.stateDir}/server.log`)}</string>`,
		'</dict>',
		'</plist>',
	].join('\n');
}
