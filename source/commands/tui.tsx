// TEMPORARY scaffold: replaced by the real implementation (owner noted in docs/ARCHITECTURE.md).
import type {Config} from '../config.js';

export async function runTui(_config: Config, _options: {demo: boolean; replay?: string; speed: number}): Promise<number> {
	throw new Error('tui: not built yet');
}
