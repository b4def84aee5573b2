/**
 * How the Usage tab (and the $ columns of Sessions and Agents, and the header) write tokens,
 * dollars and their source: compact, fixed forms that fit narrow columns.
 */
import type {CostBySource, TokenTotals, UsageTotals} from '../../../core/views/index.js';
import {groupedCount} from '../../../core/count-format.js';

/** `950`, `12.3k`, `4.6M`: a token count in at most 6 cells. */
export function compactCount(n: number): string {
	if (!Number.isFinite(n) || n < 0) return '–';
	if (n < 1000) return String(Math.round(n));
	for (const [size, unit] of [
		[1e9, 'G'],
		[1e6, 'M'],
		[1e3, 'k'],
	] as const) {
		if (n < size) continue;
		const v = n / size;
		return v >= 100 ? `${Math.round(v)}${unit}` : `${(Math.round(v * 10) / 10).toFixed(1)}${unit}`;
	}
	return String(n);
}

/** Dollars: `$0.0495` under a dollar (four places: requests cost fractions of a cent), `$1.23`, `$1,234`. */
export function money(usd: number): string {
	if (!Number.isFinite(usd) || usd < 0) return '–';
	if (usd === 0) return '$0';
	if (usd < 1) return `$${usd.toFixed(4)}`;
	if (usd < 1000) return `$${usd.toFixed(2)}`;
	return `$${groupedCount(Math.round(usd))}`;
}

/** The header's short form: `$0.05`, `$1.23`, `$1.2k`. */
export function moneyShort(usd: number): string {
	if (!Number.isFinite(usd) || usd < 0) return '–';
	if (usd < 1000) return `$${usd.toFixed(2)}`;
	return `$${compactCount(usd)}`;
}

/** `~` when some of the dollars are an estimate (priced here from the table, or telemetry's metrics); none when Claude Code gave them all. */
export function costMark(cost: CostBySource): string {
	return cost.pricedHere > 0 || cost.metrics > 0 ? '~' : '';
}

/** The $ cell: `~$0.0495`, `$0.0495`, `–` when no cost is known. */
export function costCell(totals: Pick<UsageTotals, 'costUSD' | 'cost' | 'costSource'>): string {
	if (totals.costSource === null) return '–';
	return `${costMark(totals.cost)}${money(totals.costUSD)}`;
}

export function allTokens(t: TokenTotals): number {
	return t.input + t.output + t.cacheWrite + t.cacheRead;
}

/** Cache writes and reads together (the `cache` column). */
export function cacheTokens(t: TokenTotals): number {
	return t.cacheWrite + t.cacheRead;
}
