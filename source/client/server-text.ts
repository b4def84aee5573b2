/** Text from a server, made safe to show. */
import {showControlsInLine} from '../core/terminal-safe.js';
import {ellipsize} from '../core/text.js';

/** Text from the server for a log line or the screen: one line, no controls, at most 300 characters. */
export function serverText(text: unknown): string {
	return ellipsize(showControlsInLine(String(text)), 300);
}
