/**
 * The rules every ingest path applies to the metadata that comes with an event (HTTP headers,
 * spool lines, Socket.IO, replay files): ids and receive times. One place, so that a spooled event
 * is held to the same rules as the POST it replaces. Pure.
 */

/** The largest time a JavaScript Date can hold (±8.64e15 ms, ECMA-262 §21.4.1.1). */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;

/** What an event id (`X-Mpm-Id`, a spool line's `id`) may look like. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const ID_RULE = '1 to 128 letters, digits, dots, dashes, colons or underscores';

/** True for a whole number of milliseconds after 1970 that a Date can hold. */
export function isEpochMs(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= MAX_EPOCH_MS;
}

/**
 * Epoch milliseconds written as plain decimal digits (no sign, exponent, hex or fraction), in
 * Date's range; otherwise the reason it is refused.
 */
export function parseEpochMs(text: string): {ok: true; ms: number} | {ok: false; error: string} {
	const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
	if (!/^\d{1,16}$/.test(text))
		return {ok: false, error: `must be a time in epoch milliseconds (decimal digits only), got ${shown}`};
	const ms = Number(text);
	if (!isEpochMs(ms))
		return {
			ok: false,
			error: `must be a time in epoch milliseconds between 1 and ${MAX_EPOCH_MS}, got ${shown}`,
		};
	return {ok: true, ms};
}

/** True for an id that matches ID_PATTERN. */
export function isValidId(value: unknown): value is string {
	return typeof value === 'string' && ID_PATTERN.test(value);
}
