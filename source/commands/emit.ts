// TEMPORARY scaffold: replaced by the real implementation (owner noted in docs/ARCHITECTURE.md).
import type {Config} from '../config.js';

export async function runEmit(_config: Config, ..._args: unknown[]): Promise<number> {
	throw new Error('emit: not built yet');
}
