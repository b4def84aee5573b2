// Copies non-TypeScript runtime files into dist/ and marks the bins executable.
import {chmodSync, copyFileSync, existsSync} from 'node:fs';

const copies = [['source/hook/forward.sh', 'dist/hook/mpm-tui-hook.sh']];
for (const [from, to] of copies) {
	if (existsSync(from)) copyFileSync(from, to);
}
for (const bin of ['dist/cli.js', 'dist/hook/forward.cjs', 'dist/hook/mpm-tui-hook.sh']) {
	if (existsSync(bin)) chmodSync(bin, 0o755);
}
