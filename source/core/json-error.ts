/**
 * Finds where a JSON text stops being valid, for error messages when V8's message gives no
 * position ("Unexpected token 'o', "not json" is not valid JSON"). Only runs on the error path.
 * Pure.
 */

class Stop {
	constructor(readonly at: number) {}
}

const MAX_DEPTH = 512;

/** UTF-16 index of the first character that makes `text` invalid JSON (text.length if it ends early); -1 when valid. */
export function jsonErrorOffset(text: string): number {
	let i = 0;
	const n = text.length;

	const ws = () => {
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 32 || c === 9 || c === 10 || c === 13) i++;
			else break;
		}
	};
	const fail = (): never => {
		throw new Stop(i);
	};
	const literal = (word: string) => {
		for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) fail();
	};
	const string = () => {
		i++; // opening quote
		for (;;) {
			if (i >= n) fail();
			const c = text.charCodeAt(i);
			if (c === 34) {
				i++;
				return;
			}
			if (c < 0x20) fail();
			if (c === 92) {
				i++;
				const e = text[i];
				if (e === 'u') {
					for (let k = 1; k <= 4; k++) {
						if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) {
							i += k;
							fail();
						}
					}
					i += 5;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
				else fail();
			} else i++;
		}
	};
	const digits = () => {
		const start = i;
		while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
		if (i === start) fail();
	};
	const number = () => {
		if (text[i] === '-') i++;
		if (text[i] === '0') i++;
		else digits();
		if (text[i] === '.') {
			i++;
			digits();
		}
		if (text[i] === 'e' || text[i] === 'E') {
			i++;
			if (text[i] === '+' || text[i] === '-') i++;
			digits();
		}
	};
	const value = (depth: number): void => {
		if (depth > MAX_DEPTH) fail();
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') {
				i++;
				return;
			}
			for (;;) {
				ws();
				if (text[i] !== '"') fail();
				string();
				ws();
				if (text[i] !== ':') fail();
				i++;
				value(depth + 1);
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === '}') {
					i++;
					return;
				} else fail();
			}
		} else if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') {
				i++;
				return;
			}
			for (;;) {
				value(depth + 1);
				ws();
				if (text[i] === ',') i++;
				else if (text[i] === ']') {
					i++;
					return;
				} else fail();
			}
		} else if (c === '"') string();
		else if (c === 't') literal('true');
		else if (c === 'f') literal('false');
		else if (c === 'n') literal('null');
		else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
		else fail();
	};

	try {
		value(0);
		ws();
		return i < n ? i : -1;
	} catch (error) {
		if (error instanceof Stop) return Math.min(error.at, n);
		throw error;
	}
}
