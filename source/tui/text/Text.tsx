/**
 * Ink's `Text`, drawn as the terminal may be sent it (`Paint`, decided once at start from the
 * terminal, NO_COLOR and FORCE_COLOR: commands/colour-mode.ts). Without colour (NO_COLOR) a
 * colour is dropped and a background colour (a search match) becomes an underline; bold, dim and
 * inverse stay. With nothing at all (`plain`: FORCE_COLOR=0, TERM=dumb) chalk draws no style;
 * what matters (the cursor, the tab on screen) is also shown by glyphs. Every text of the TUI is
 * drawn through this component.
 */
import React, {createContext, useContext} from 'react';
import {Text as InkText} from 'ink';

/** `full`: colours and styles; `no-colour`: styles only (NO_COLOR); `plain`: no escape styling at all. */
export type Paint = 'full' | 'no-colour' | 'plain';

export const PaintContext = createContext<Paint>('full');

/** What the terminal may be sent, for components that draw differently without styles. */
export function usePaint(): Paint {
	return useContext(PaintContext);
}

/** Ink's Text without colours: a colour dropped, a background colour (a search match) underlined. */
function PaintedText(props: React.ComponentProps<typeof InkText>) {
	if (props.color === undefined && props.backgroundColor === undefined) return <InkText {...props} />;
	const {color: _color, backgroundColor, ...rest} = props;
	return <InkText {...rest} underline={rest.underline === true || backgroundColor !== undefined} />;
}

/**
 * The `Text` every component draws with: Ink's own with colours (no extra component per text: a
 * wrapper on every cell is one more component for React and Ink to render per cell, every frame;
 * docs/performance.md, TUI), the painted one without.
 * A live binding, switched by `setPaint` before a frame is drawn.
 */
export let Text: typeof InkText = InkText;

/** Sets how texts are drawn; the App calls it with the paint decided at start. */
export function setPaint(paint: Paint): void {
	Text = paint === 'full' ? InkText : (PaintedText as typeof InkText);
}
