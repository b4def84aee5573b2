/** Listening on the configured address, and the URL clients reach the server by. */
import type http from 'node:http';

/** The port is held by something; `runServerOnly` and the TUI probe it to say by what. */
export class PortInUseError extends Error {
	constructor(
		readonly host: string,
		readonly port: number,
	) {
		super(`port ${port} on ${host} is already in use`);
	}
}

export function listen(server: http.Server, host: string, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			server.off('listening', onListening);
			reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
		};
		const onListening = () => {
			server.off('error', onError);
			resolve();
		};
		server.once('error', onError);
		server.once('listening', onListening);
		server.listen(port, host);
	});
}

/** The URL for a bound host and port: IPv6 in brackets; the wildcard address as loopback. */
export function serverUrl(host: string, port: number): string {
	const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
	return `http://${urlHost}:${port}`;
}
