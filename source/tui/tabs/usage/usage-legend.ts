/**
 * The Usage tab's marks and words, for the `?` help and docs (docs/usage.md, "Status words").
 */
import type {LegendLine} from '../tab.js';

export const usageLegend: readonly LegendLine[] = [
	['$0.0495', 'as Claude Code gave it (telemetry, transcript costUSD)'],
	['~$0.0495', 'estimated: priced here from tokens, or metrics'],
	['–', '$: no cost known yet (no request, or no price)'],
	['12.3k', 'tokens: thousands (k), millions (M)'],
	['in, out, cache', 'tokens: input, output, cache writes + reads'],
	['$/h', 'burn rate: the $ of the last 10 minutes, × 6'],
	['api', 'API time: telemetry duration_ms summed'],
	['req, err', 'API requests (each once), api_error events'],
	['▸ prompt, ◆ agent', 'an opened session: its prompts, its subagents'],
	['hook, otel', 'a tool call: hook timing, telemetry duration'],
	['⚙ Event', 'hook runs: mean, max; red: errors, yellow: slow (1 s)'],
];
