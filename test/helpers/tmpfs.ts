/**
 * A small real filesystem that can be filled: a tmpfs mounted on a fresh temp dir. Needs root
 * (CI runs as root and installs nothing for it); elsewhere `mountTmpfs` says why it cannot, and
 * the test that needs it skips with that reason.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Tmpfs {
	dir: string;
	/** Grows or shrinks the filesystem (remount). */
	resize(bytes: number): void;
	/** Fills what is left with a file (`filler`), so that the next write fails with ENOSPC. */
	fill(): void;
	/** Removes the filler. */
	unfill(): void;
	unmount(): void;
}

export function mountTmpfs(bytes: number): Tmpfs | {skip: string} {
	if (process.getuid?.() !== 0) return {skip: 'needs root to mount a tmpfs (CI runs as root); skipped here'};
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpm-tui-tmpfs-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], {stdio: 'pipe'});
	} catch (error) {
		fs.rmSync(dir, {recursive: true, force: true});
		return {
			skip: `cannot mount a tmpfs here (${String((error as {stderr?: Buffer}).stderr ?? error).trim()}); skipped`,
		};
	}
	const filler = path.join(dir, 'filler');
	return {
		dir,
		resize(size) {
			execFileSync('mount', ['-o', `remount,size=${size}`, dir], {stdio: 'pipe'});
		},
		fill() {
			const fd = fs.openSync(filler, 'a');
			const block = Buffer.alloc(64 * 1024, 0x78);
			try {
				for (;;) fs.writeSync(fd, block);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
			}
			// Whatever fit of a smaller piece, so not even one more line fits.
			try {
				for (;;) fs.writeSync(fd, Buffer.alloc(16, 0x78));
			} catch {
				// Full.
			} finally {
				fs.closeSync(fd);
			}
		},
		unfill() {
			fs.rmSync(filler, {force: true});
		},
		unmount() {
			try {
				execFileSync('umount', ['-l', dir], {stdio: 'pipe'});
			} finally {
				fs.rmSync(dir, {recursive: true, force: true});
			}
		},
	};
}
