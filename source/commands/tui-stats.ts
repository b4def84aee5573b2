/**
 * MPM_TUI_STATS_FILE (benchmarks): the monitor's frame and event counts, written on exit and on
 * SIGUSR1. Nothing is counted to a file without it.
 */
import {promises as fs} from 'node:fs';

export class TuiStats {
	private frames = 0;
	private renderMs = 0;
	private readonly started = Date.now();
	private readonly onSignal = () => {
		this.write().catch(() => {});
	};

	constructor(
		private readonly file: string | undefined,
		private readonly events: () => number,
	) {
		if (file) process.on('SIGUSR1', this.onSignal);
	}

	/** Ink's `onRender`: one frame drawn. */
	frame(renderTime: number): void {
		this.frames++;
		this.renderMs += renderTime;
	}

	async write(): Promise<void> {
		if (!this.file) return;
		const runMs = Date.now() - this.started;
		await fs.writeFile(
			this.file,
			`${JSON.stringify({frames: this.frames, renderMs: Math.round(this.renderMs), runMs, framesPerSecond: this.frames / Math.max(0.001, runMs / 1000), events: this.events()})}\n`,
		);
	}

	/** Stops listening for SIGUSR1. */
	detach(): void {
		if (this.file) process.off('SIGUSR1', this.onSignal);
	}
}
