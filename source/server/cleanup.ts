/** Things that go wrong while starting are collected here and undone in reverse order. */
export class Cleanup {
	private readonly steps: Array<() => Promise<void> | void> = [];

	add(step: () => Promise<void> | void): void {
		this.steps.push(step);
	}

	async run(): Promise<void> {
		for (const step of this.steps.splice(0).reverse()) {
			try {
				await step();
			} catch {
				// Undoing a failed start: the first error is the one worth reporting.
			}
		}
	}
}
