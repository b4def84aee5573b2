/**
 * What a failed write to an output (stdout, an `--ndjson` file) means. EPIPE: the reader went away
 * (`| head -n 3`), a normal end that needs no word. Any other error (ENOSPC, EIO, EACCES, a path
 * that cannot be opened) is a fault: what follows is lost, so it is told with its reason and the
 * command ends with exit code 1 (docs/configuration.md, "Headless use").
 */

/** Whether a write failed because the reader of the output went away. */
export function isReaderGone(error: unknown): boolean {
	return (error as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
}

/** The line that tells an output fault: `cannot write stdout: ENOSPC: no space left on device, write`. */
export function outputFault(target: string, error: Error): string {
	return `cannot write ${target}: ${error.message}`;
}
