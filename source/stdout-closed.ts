/**
 * Lets a command's reader go away without a crash: `mpm-tui hooks status | head -1`.
 *
 * The next write after the reader has closed the pipe fails with EPIPE, which Node raises as an
 * 'error' event on the stream; with no listener that ends the command with a stack trace, and can
 * end it half-way (a settings file between its diff and its write). With this listener the output
 * just stops, the command finishes its work and exits with its own code. Modes that stream
 * (`tail`, `--server-only`) have their own listener too (client/ndjson-writer.ts) and stop there.
 * Any other error on the stream stays what it was.
 */
export function outliveClosedReader(stream: NodeJS.WriteStream): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
	});
}
