/**
 * Plays the demo generator at a human pace into a sink (the hosted server's ingest, or a POST to
 * a remote server), so demo events take the same path as real ones.
 */
import {demoSteps} from '../../core/demo.js';

export type DemoSink = (payload: Record<string, unknown>) => void | Promise<void>;

export interface DemoFeed {
	stop(): void;
}

/** `pace` scales the generator's delays (1 = as generated: a few events per second). */
export function startDemoFeed(sink: DemoSink, options: {seed: number; pace?: number; onError?: (message: string) => void}): DemoFeed {
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
					.catch((error: unknown) => options.onError?.(`demo: ${error instanceof Error ? error.message : String(error)}`))
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
	return async payload => {
		const headers: Record<string, string> = {'Content-Type': 'application/json'};
		if (token) headers.Authorization = `Bearer ${token}`;
		const response = await fetch(new URL('/api/events', url), {method: 'POST', headers, body: JSON.stringify(payload)});
		if (!response.ok) throw new Error(`POST /api/events answered HTTP ${response.status}`);
		await response.arrayBuffer();
	};
}
