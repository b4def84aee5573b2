/**
 * Lets a command's reader go away without a crash: `mpm-tui hooks status | head -1`.
 *
 * The next write after the reader has closed the pipe fails with EPIPE, which Node raises as an
 * 'error' event on the stream; with no listener that ends the command with a stack trace, and can
 * end it half-way (a settings file between its diff and its write). With this listener the output
 * just stops, the command finishes its work and exits with its own code. Modes that stream
 * (`tail`, `--server-only`, `server logs -f`) have their own listener (client/ndjson-writer.ts,
 * daemon/log-follow.ts): they stop there, and tell any other error (ENOSPC, EIO) with exit 1.
 * Without such a listener, any other error stays what it was: thrown, it ends the command.
 */
import {isReaderGone} from './client/output-fault.js';

export function outliveClosedReader(stream: NodeJS.WriteStream): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		// This listener is the first; throwing here would keep a streaming mode's from hearing it.
		if (!isReaderGone(error) && stream.listenerCount('error') === 1) throw error;
	});
}
