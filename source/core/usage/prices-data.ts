/**
 * The price table shipped with mpm-tui: US dollars per million tokens for the Claude models
 * Claude Code uses. Pure data; `prices.ts` reads it (and a user's file over it).
 *
 * Source: LiteLLM's `model_prices_and_context_window.json`, as prefetched into the npm package
 * `ccusage@18.0.11` (its `dist/data-loader-*.js`, `PREFETCHED_CLAUDE_PRICING`; the package was
 * published 2026-05-17). `from` names the entry each row was taken from (a Bedrock entry where
 * the snapshot has no direct one: Bedrock's on-demand prices for these models are Anthropic's).
 * The numbers are that file's per-token costs x 1,000,000, nothing else changed, except:
 * - `cacheWrite1h`: the snapshot has no 1-hour cache-write price; Anthropic prices a 1-hour
 *   cache write at twice the base input price (ccusage applies the same rule), so it is 2 x `input`
 *   (and 2 x `above200k.input`).
 * - `fastMultiplier`: the snapshot's `provider_specific_entry.fast` (fast mode costs that many
 *   times the normal price).
 * - `above200k`: the snapshot's `*_above_200k_tokens` prices, where a model has them.
 */
import type {PriceTable} from './prices.js';

export const BUILT_IN_PRICES: PriceTable = {
	date: '2026-05-17',
	source:
		'LiteLLM model_prices_and_context_window.json, as bundled in the npm package ccusage@18.0.11 (published 2026-05-17)',
	models: [
		{
			id: 'claude-3-haiku-20240307',
			input: 0.25,
			output: 1.25,
			cacheWrite5m: 0.3,
			cacheWrite1h: 0.5,
			cacheRead: 0.03,
			from: 'claude-3-haiku-20240307',
		},
		{
			id: 'claude-3-opus-20240229',
			input: 15,
			output: 75,
			cacheWrite5m: 18.75,
			cacheWrite1h: 30,
			cacheRead: 1.5,
			from: 'claude-3-opus-20240229',
		},
		{
			id: 'claude-3-5-haiku-20241022',
			input: 0.8,
			output: 4,
			cacheWrite5m: 1,
			cacheWrite1h: 1.6,
			cacheRead: 0.08,
			from: 'anthropic.claude-3-5-haiku-20241022-v1:0',
		},
		{
			id: 'claude-3-5-sonnet-20240620',
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			above200k: {input: 6, output: 30, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6},
			from: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
		},
		{
			id: 'claude-3-5-sonnet-20241022',
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			above200k: {input: 6, output: 30, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6},
			from: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
		},
		{
			id: 'claude-3-7-sonnet-20250219',
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			from: 'claude-3-7-sonnet-20250219',
		},
		{
			id: 'claude-opus-4-20250514',
			aliases: ['claude-4-opus-20250514'],
			input: 15,
			output: 75,
			cacheWrite5m: 18.75,
			cacheWrite1h: 30,
			cacheRead: 1.5,
			from: 'claude-opus-4-20250514',
		},
		{
			id: 'claude-opus-4-1-20250805',
			aliases: ['claude-opus-4-1'],
			input: 15,
			output: 75,
			cacheWrite5m: 18.75,
			cacheWrite1h: 30,
			cacheRead: 1.5,
			from: 'claude-opus-4-1-20250805',
		},
		{
			id: 'claude-opus-4-5-20251101',
			aliases: ['claude-opus-4-5'],
			input: 5,
			output: 25,
			cacheWrite5m: 6.25,
			cacheWrite1h: 10,
			cacheRead: 0.5,
			from: 'claude-opus-4-5-20251101',
		},
		{
			id: 'claude-opus-4-6-20260205',
			aliases: ['claude-opus-4-6'],
			input: 5,
			output: 25,
			cacheWrite5m: 6.25,
			cacheWrite1h: 10,
			cacheRead: 0.5,
			fastMultiplier: 6,
			from: 'claude-opus-4-6-20260205',
		},
		{
			id: 'claude-opus-4-7-20260416',
			aliases: ['claude-opus-4-7'],
			input: 5,
			output: 25,
			cacheWrite5m: 6.25,
			cacheWrite1h: 10,
			cacheRead: 0.5,
			fastMultiplier: 6,
			from: 'claude-opus-4-7-20260416',
		},
		{
			id: 'claude-sonnet-4-20250514',
			aliases: ['claude-4-sonnet-20250514'],
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			above200k: {input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6},
			from: 'claude-sonnet-4-20250514',
		},
		{
			id: 'claude-sonnet-4-5-20250929',
			aliases: ['claude-sonnet-4-5'],
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			above200k: {input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6},
			from: 'claude-sonnet-4-5-20250929',
		},
		{
			id: 'claude-sonnet-4-6',
			input: 3,
			output: 15,
			cacheWrite5m: 3.75,
			cacheWrite1h: 6,
			cacheRead: 0.3,
			from: 'claude-sonnet-4-6',
		},
		{
			id: 'claude-haiku-4-5-20251001',
			aliases: ['claude-haiku-4-5'],
			input: 1,
			output: 5,
			cacheWrite5m: 1.25,
			cacheWrite1h: 2,
			cacheRead: 0.1,
			from: 'claude-haiku-4-5-20251001',
		},
	],
};
