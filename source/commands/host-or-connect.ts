/**
 * Decides how the TUI gets its events: connect to a server that answers at the address, or host
 * one in this process when nothing does, or refuse when something else holds the port.
 */
import {UnsafeBindError, type Config} from '../config.js';
import {probe} from '../client/probe.js';
import type {MpmServer} from '../server/server.js';
import {claudeMpmSink, postSink, type DemoSink} from '../tui/sources/demo-feed.js';

export type Link =
	| {kind: 'client'; url: string; flavor: 'mpm-tui' | 'claude-mpm'}
	| {kind: 'host'; url: string; server: MpmServer}
	| {
			kind: 'error';
			message: string;
			/** The exit code: 2 for an unsafe bind (a usage error, as with --server-only), else 1. */ code: 1 | 2;
	  };

export async function hostOrConnect(config: Config, log: (line: string) => void): Promise<Link> {
	if (config.forcedConnect) {
		const found = await probe(config.url, config.token);
		return {kind: 'client', url: config.url, flavor: found.kind === 'claude-mpm' ? 'claude-mpm' : 'mpm-tui'};
	}
	const found = await probe(config.url, config.token);
	switch (found.kind) {
		case 'mpm-tui':
			return {kind: 'client', url: config.url, flavor: 'mpm-tui'};
		case 'claude-mpm':
			return {kind: 'client', url: config.url, flavor: 'claude-mpm'};
		case 'other':
			return {
				kind: 'error',
				message: `${config.url.replace(/^https?:\/\//, '')} is in use by another program (${found.detail}); use another --port`,
				code: 1,
			};
		case 'none':
			break;
	}
	// The server (Socket.IO and all) is loaded only when this window hosts it.
	const {PortInUseError, startServer} = await import('../server/server.js');
	try {
		const server = await startServer(config, {log});
		return {kind: 'host', url: server.url, server};
	} catch (error) {
		if (error instanceof PortInUseError) {
			// Lost a race with another mpm-tui starting at the same moment: use it.
			const again = await probe(config.url, config.token);
			if (again.kind === 'mpm-tui') return {kind: 'client', url: config.url, flavor: 'mpm-tui'};
			return {
				kind: 'error',
				message: `port ${config.port} on ${config.host} is in use by another program; pick another --port`,
				code: 1,
			};
		}
		if (error instanceof UnsafeBindError) return {kind: 'error', message: error.message, code: 2};
		return {
			kind: 'error',
			message: `cannot host the server on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`,
			code: 1,
		};
	}
}

/** Where the demo goes for a link: into the hosted server, else POSTed to the server connected to, in the form it reads. */
export function demoSinkFor(link: Exclude<Link, {kind: 'error'}>, token: string | undefined): DemoSink {
	if (link.kind === 'host') {
		const hosted = link.server;
		return (payload) => {
			hosted.ingest([payload], 'demo');
		};
	}
	return link.flavor === 'claude-mpm' ? claudeMpmSink(link.url, token) : postSink(link.url, token);
}
