/**
 * What the mpm-tui client reports about its link: the status, the reconnect attempt, the server's
 * `hello` once it has one, and the last error, handed to `onState` as one ConnectionState.
 */
import type {HelloInfo} from '../core/wire.js';

export interface ConnectionState {
	status: 'connecting' | 'connected' | 'reconnecting' | 'unauthorized' | 'closed';
	attempt: number;
	error?: string;
	server?: HelloInfo;
}

export class ConnectionStatus {
	/** The reconnect attempt under way (0 while connected). */
	attempt = 0;
	/** The `hello` of the mpm-tui server connected to; none for a claude-mpm server. */
	server: HelloInfo | undefined;

	constructor(private readonly onState: (state: ConnectionState) => void) {}

	report(status: ConnectionState['status'], error?: string): void {
		const s: ConnectionState = {status, attempt: this.attempt};
		if (error !== undefined) s.error = error;
		if (this.server) s.server = this.server;
		this.onState(s);
	}
}
