/**
 * `mpm-tui server unit`: a systemd user unit or a launchd agent that runs the daemon at login,
 * printed for the user to install (never installed by mpm-tui). The service runs the same
 * `--server-only --daemon` process `server start` runs, in the foreground of the service manager,
 * so `server status|stop|logs` work on it too. The token is not written into it: the comment says
 * where to put it.
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

export function serviceUnit(
	format: 'systemd' | 'launchd',
	config: Config,
	node: string,
	cli: string,
): string {
	const command = [node, cli, ...daemonArgs(config, undefined)];
	if (format === 'systemd') {
		return [
			'# mpm-tui server as a systemd user service. Save as ~/.config/systemd/user/mpm-tui.service, then:',
			'#   systemctl --user daemon-reload && systemctl --user enable --now mpm-tui',
			'# A token (needed off loopback): systemctl --user edit mpm-tui, add [Service] Environment=MPM_TUI_TOKEN=…',
			'[Unit]',
			'Description=mpm-tui server (Claude Code hook events)',
			'',
			'[Service]',
			`ExecStart=${command.map(systemdWord).join(' ')}`,
			`Environment=${systemdWord(`MPM_TUI_STATE_DIR=${config.stateDir}`)}`,
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
		'     A token (needed off loopback): add MPM_TUI_TOKEN to EnvironmentVariables. -->',
		'<plist version="1.0">',
		'<dict>',
		'\t<key>Label</key><string>dev.mpm-tui.server</string>',
		'\t<key>ProgramArguments</key>',
		'\t<array>',
		...command.map((word) => `\t\t<string>${xml(word)}</string>`),
		'\t</array>',
		'\t<key>EnvironmentVariables</key>',
		`\t<dict><key>MPM_TUI_STATE_DIR</key><string>${xml(config.stateDir)}</string></dict>`,
		'\t<key>RunAtLoad</key><true/>',
		'\t<key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
		'\t<key>StandardOutPath</key><string>/dev/null</string>',
		`\t<key>StandardErrorPath</key><string>${xml(`${config.stateDir}/server.log`)}</string>`,
		'</dict>',
		'</plist>',
	].join('\n');
}
