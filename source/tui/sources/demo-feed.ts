/**
 * Plays the demo generator at a human pace into a sink (the hosted server's ingest, or a POST to
 * a remote server: mpm-tui's or claude-mpm's), so demo events take the same path as real ones.
 */
import {toMpmHookEnvelope} from '../../core/claude-mpm.js';
import {demoSteps} from '../../core/demo.js';

export type DemoSink = (payload: Record<string, unknown>) => void | Promise<void>;

export interface DemoFeed {
	stop(): void;
}

/** `pace` scales the generator's delays (1 = as generated: a few events per second). */
export function startDemoFeed(
	sink: DemoSink,
	options: {seed: number; pace?: number; onError?: (message: string) => void},
): DemoFeed {
	const steps = demoSteps(options.seed);
	const pace = options.pace ?? 1;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const next = () => {
		if (stopped) return;
		const step = steps.next().value as {delayMs: number; payload: Record<string, unknown>};
		timer = setTimeout(
			() => {
				Promise.resolve()
					.then(() => sink(step.payload))
					.catch((error: unknown) =>
						options.onError?.(`demo: ${error instanceof Error ? error.message : String(error)}`),
					)
					.finally(next);
			},
			Math.min(3000, step.delayMs * pace),
		);
	};
	next();
	return {
		stop() {
			stopped = true;
			if (timer) clearTimeout(timer);
		},
	};
}

/** A sink that POSTs each payload to a server's /api/events. */
export function postSink(url: string, token: string | undefined): DemoSink {
	return async (payload) => {
		const headers: Record<string, string> = {'Content-Type': 'application/json'};
		if (token) headers.Authorization = `Bearer ${token}`;
		const response = await fetch(new URL('/api/events', url), {
			method: 'POST',
			headers,
			body: JSON.stringify(payload),
		});
		if (!response.ok) throw new Error(`POST /api/events answered HTTP ${response.status}`);
		await response.arrayBuffer();
	};
}

/**
 * A sink that POSTs each payload to a claude-mpm monitor's /api/events in the envelope its hook
 * (claude-hook-fast.sh) posts, `{namespace:"/", event:"claude_event", data:{type:"hook", subtype,
 * hook_event_name, …, data:<payload>}}` (core `toMpmHookEnvelope`): claude-mpm's server reads
 * nothing else (a bare hook payload reaches its clients as an empty `claude_event`), and then emits
 * it to every client, this monitor included, as it does its own hooks' events.
 */
export function claudeMpmSink(
	url: string,
	token: string | undefined,
	now: () => Date = () => new Date(),
): DemoSink {
	const post = postSink(url, token);
	return (payload) => post(toMpmHookEnvelope(payload, now().toISOString(), 'mpm-tui-demo'));
}
