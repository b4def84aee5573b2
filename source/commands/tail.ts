// TEMPORARY scaffold: replaced by the real implementation (owner noted in docs/ARCHITECTURE.md).
import type {Config} from '../config.js';

export async function runTail(_config: Config, ..._args: unknown[]): Promise<number> {
	throw new Error('tail: not built yet');
}
