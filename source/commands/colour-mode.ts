/**
 * How the monitor paints: decided once at start from the terminal (`TERM`, `COLORTERM`, …, read by
 * Node's own `getColorDepth`), `NO_COLOR` and `FORCE_COLOR` — not from `CI`. chalk (through
 * supports-color) gives no colour and no style at all whenever `CI` is set, even `CI=false`, and
 * ignores `NO_COLOR`; the monitor is an interactive terminal program, so its answer is replaced
 * (chalk's level is set before the first frame).
 *
 * - `FORCE_COLOR` wins when set, as in Node and chalk: `0`/`false`/other → no styling at all,
 *   `1`/`true`/empty → 16 colours, `2` → 256, `3` → 16 million.
 * - `NO_COLOR` (any non-empty value, https://no-color.org): no colour; bold, dim and inverse stay
 *   where the terminal has them.
 * - Otherwise the terminal's colours; `TERM=dumb` or a terminal Node knows no colours for: no
 *   styling at all.
 */
import type {Paint} from '../tui/text/Text.js';

export interface ColourMode {
	/** chalk's level: 0 none, 1 16 colours, 2 256, 3 16 million. */
	level: 0 | 1 | 2 | 3;
	paint: Paint;
}

/** Colours of a terminal by its environment (Node's `WriteStream#getColorDepth`): 1, 4, 8 or 24 bits. */
export type ColorDepth = (env: Record<string, string | undefined>) => number;

/** Variables that say a CI service runs us; they say nothing about the terminal we draw on. */
const ciVariables = new Set(['CI', 'CONTINUOUS_INTEGRATION']);

export function colourMode(env: Record<string, string | undefined>, colorDepth: ColorDepth): ColourMode {
	const terminal: Record<string, string | undefined> = {};
	for (const [key, value] of Object.entries(env)) {
		// NO_COLOR is decided here (Node would also warn on stderr when FORCE_COLOR overrides it).
		if (!ciVariables.has(key) && key !== 'NO_COLOR') terminal[key] = value;
	}
	const depth = colorDepth(terminal);
	const level = depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
	if (level === 0) return {level, paint: 'plain'};
	const noColour = env.FORCE_COLOR === undefined && env.NO_COLOR !== undefined && env.NO_COLOR !== '';
	return {level, paint: noColour ? 'no-colour' : 'full'};
}
