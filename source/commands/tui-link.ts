/**
 * The monitor's link, set up after its first frame: probes, hosts the server or connects to one
 * (host-or-connect.ts), opens the Socket.IO client (mpm-tui's or the claude-mpm link) feeding the
 * store, and the demo feed (`d` or `--demo`, started once the link is up). What the first frame
 * does not draw (the probe, the server, the Socket.IO client, the demo) is imported here, later.
 * On quit, a link still being set up settles and opens nothing more, then is closed, and a hosted
 * server shut down gracefully.
 */
import type {Config} from '../config.js';
import type {Connection} from '../client/connection.js';
import type {MpmServer} from '../server/server.js';
import type {EventStore} from '../tui/event-store/event-store.js';
import type {DemoFeed, DemoSink} from '../tui/sources/demo-feed.js';
import {storeHandlers} from './tui-store.js';

/** Why the monitor cannot run (a port held by another program, an unsafe bind, a failed start). */
export interface LinkFailure {
	message: string;
	code: 1 | 2;
}

export class TuiLink {
	private server: MpmServer | null = null;
	private connection: Connection | null = null;
	private demo: DemoFeed | null = null;
	private demoSink: DemoSink | null = null;
	private startDemoFeed: typeof import('../tui/sources/demo-feed.js').startDemoFeed | null = null;
	/** Set when quitting begins: a link still being set up then opens nothing more. */
	private stopping = false;
	private setting: Promise<void> = Promise.resolve();
	/** Set when the link could not be made; printed after the terminal is restored. */
	failure: LinkFailure | null = null;

	constructor(
		private readonly config: Config,
		private readonly store: EventStore,
		private readonly log: (line: string) => void,
		/** `d` (or --demo) before the link is up starts the demo once it is. */
		private demoWanted: boolean,
	) {}

	/** Starts setting the link up; `quit` when it cannot be made, `onError` when setting it up threw. */
	start(quit: () => void, onError: (error: unknown) => void): void {
		this.setting = this.setUp(quit).catch((error: unknown) => {
			onError(error);
			quit();
		});
	}

	readonly startDemo = (): void => {
		this.demoWanted = true;
		if (this.demo || !this.demoSink || !this.startDemoFeed || this.stopping) return;
		this.demo = this.startDemoFeed(this.demoSink, {seed: Date.now() % 2 ** 31, onError: this.log});
	};

	private async setUp(quit: () => void): Promise<void> {
		const {config, store, log} = this;
		// The Socket.IO client loads while the probe waits for its answer.
		const clientModules = Promise.all([
			import('../client/connection.js'),
			import('../tui/sources/claude-mpm-link.js'),
			import('../tui/sources/demo-feed.js'),
		]);
		clientModules.catch(() => {}); // awaited below unless quitting came first
		const {demoSinkFor, hostOrConnect} = await import('./host-or-connect.js');
		if (this.stopping) return;
		const link = await hostOrConnect(config, log);
		if (link.kind === 'host') this.server = link.server;
		if (this.stopping) return;
		if (link.kind === 'error') {
			this.failure = {message: link.message, code: link.code};
			quit();
			return;
		}
		const [{openConnection}, {openClaudeMpmConnection}, demoFeed] = await clientModules;
		if (this.stopping) return;
		const hosting = link.kind === 'host';
		const flavor = link.kind === 'client' ? link.flavor : 'mpm-tui';
		const note = flavor === 'claude-mpm' ? '(claude-mpm)' : undefined;
		store.setLink({status: hosting ? 'hosting' : 'connecting', address: link.url, attempt: 0, note, flavor});
		const handlers = storeHandlers(store, {url: link.url, hosting, note}, log);
		this.connection =
			link.kind === 'client' && link.flavor === 'claude-mpm'
				? openClaudeMpmConnection({url: link.url, token: config.token}, handlers)
				: openConnection({url: link.url, token: config.token, historyLimit: config.history}, handlers);
		this.demoSink = demoSinkFor(link, config.token);
		this.startDemoFeed = demoFeed.startDemoFeed;
		if (this.demoWanted) this.startDemo();
	}

	/** Stops the demo, lets a link being set up settle, closes the connection and the hosted server. */
	async close(): Promise<void> {
		this.stopping = true;
		this.demo?.stop();
		await this.setting;
		this.connection?.close();
		if (this.server) await this.server.close();
	}
}
