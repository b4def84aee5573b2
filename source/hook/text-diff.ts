/**
 * A readable line diff for `hooks … --dry-run`: unified style, three lines of context, hunks
 * separated by `@@ line N @@`. Pure; settings files are small, so a plain LCS table is fine.
 */

type Op = {kind: ' ' | '-' | '+'; line: string; oldNo: number; newNo: number};

function lines(text: string): string[] {
	if (text === '') return [];
	const parts = text.replace(/\r\n/g, '\n').split('\n');
	if (parts[parts.length - 1] === '') parts.pop();
	return parts;
}

function operations(a: string[], b: string[]): Op[] {
	const n = a.length;
	const m = b.length;
	const lcs: Uint32Array[] = Array.from({length: n + 1}, () => new Uint32Array(m + 1));
	for (let i = n - 1; i >= 0; i--) {
		for (let j = m - 1; j >= 0; j--)
			lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
	}
	const ops: Op[] = [];
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && a[i] === b[j]) ops.push({kind: ' ', line: a[i], oldNo: ++i, newNo: ++j});
		else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1]))
			ops.push({kind: '-', line: a[i], oldNo: ++i, newNo: j});
		else ops.push({kind: '+', line: b[j], oldNo: i, newNo: ++j});
	}
	return ops;
}

/** Unified-style diff of two texts; '' when they are equal. */
export function diffLines(
	before: string,
	after: string,
	labels: {before: string; after: string},
	context = 3,
): string {
	const ops = operations(lines(before), lines(after));
	if (ops.every((op) => op.kind === ' ')) return '';
	const keep = new Array<boolean>(ops.length).fill(false);
	ops.forEach((op, k) => {
		if (op.kind === ' ') return;
		for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
	});
	const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
	let inHunk = false;
	ops.forEach((op, k) => {
		if (!keep[k]) {
			inHunk = false;
			return;
		}
		if (!inHunk) out.push(`@@ line ${Math.max(1, op.newNo)} @@`);
		inHunk = true;
		out.push(`${op.kind}${op.line}`);
	});
	return `${out.join('\n')}\n`;
}
