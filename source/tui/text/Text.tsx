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

export function Text(props: React.ComponentProps<typeof InkText>) {
	const paint = useContext(PaintContext);
	if (paint === 'full' || (props.color === undefined && props.backgroundColor === undefined)) return <InkText {...props} />;
	const {color: _color, backgroundColor, ...rest} = props;
	return <InkText {...rest} underline={rest.underline === true || backgroundColor !== undefined} />;
}
