/**
 * About how many bytes a value takes as JSON, without writing it: string lengths, key names and
 * a few bytes for the rest. For keeping a store of parsed records within a byte bound; iterative,
 * so no value is too deep for it. Pure.
 */
export function approxJsonBytes(value: unknown): number {
	let total = 0;
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const node = stack.pop();
		if (typeof node === 'string') total += node.length + 2;
		else if (typeof node !== 'object' || node === null) total += 6;
		else if (Array.isArray(node)) {
			total += 2 + node.length;
			for (const item of node) stack.push(item);
		} else {
			total += 2;
			for (const key of Object.keys(node)) {
				total += key.length + 4;
				stack.push((node as Record<string, unknown>)[key]);
			}
		}
	}
	return total;
}
