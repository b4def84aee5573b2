/**
 * The price table the server prices transcript usage with: the built-in one (prices-data.ts),
 * or a user's file read over it once at start (`Config.pricesFile`). A file that is absent from
 * the default place is no problem; one that `MPM_TUI_PRICES` names but is not there, or one that
 * cannot be read or parsed, gives one clear log line, and the built-in table is kept whole.
 */
import fs from 'node:fs';
import {BUILT_IN_PRICES} from '../core/usage/prices-data.js';
import {parsePriceFile, PriceIndex} from '../core/usage/prices.js';
import {exceedsDepth} from '../core/parse-body.js';

/** A price file is small; anything larger is not one. */
const MAX_PRICE_FILE_BYTES = 1024 * 1024;

export function loadPriceIndex(file: string, log: (line: string) => void, named = false): PriceIndex {
	let text: string;
	let mtime: Date;
	let fd: number | undefined;
	try {
		// No link followed, never blocking on a FIFO; only a regular file of bounded size is read.
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), {code: 'EINVAL'});
		if (stat.size > MAX_PRICE_FILE_BYTES)
			throw Object.assign(new Error(`larger than ${MAX_PRICE_FILE_BYTES} bytes`), {code: 'EFBIG'});
		text = fs.readFileSync(fd, 'utf8');
		mtime = stat.mtime;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && named)
			log(
				`prices: MPM_TUI_PRICES names ${file}, which does not exist; using the built-in price table of ${BUILT_IN_PRICES.date}`,
			);
		else if (code !== 'ENOENT')
			log(
				`prices: cannot read ${file} (${(error as Error).message}); using the built-in price table of ${BUILT_IN_PRICES.date}`,
			);
		return new PriceIndex(BUILT_IN_PRICES);
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
	let value: unknown;
	try {
		if (exceedsDepth(text)) throw new Error('nested too deep');
		value = JSON.parse(text);
	} catch (error) {
		log(
			`prices: ${file} is not valid JSON (${(error as Error).message}); using the built-in price table of ${BUILT_IN_PRICES.date}`,
		);
		return new PriceIndex(BUILT_IN_PRICES);
	}
	const parsed = parsePriceFile(value, BUILT_IN_PRICES, mtime.toISOString().slice(0, 10));
	if (!parsed.ok) {
		log(
			`prices: ${file} was not used: ${parsed.error}; using the built-in price table of ${BUILT_IN_PRICES.date}`,
		);
		return new PriceIndex(BUILT_IN_PRICES);
	}
	return new PriceIndex(parsed.table);
}
