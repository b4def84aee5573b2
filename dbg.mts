import fc from 'fast-check';
import {httpCase} from './test/helpers/fuzz-arbitraries.js';
import {buildRequest} from './test/helpers/fuzz-paths.js';
import {exceedsDepth} from './source/core/parse-body.js';
const arb = fc.array(httpCase, {minLength: 1, maxLength: 6});
let n = 0;
fc.assert(fc.property(arb, cases => {
  for (const c of cases) {
    if (!c.mixed || c.framing !== 'array') continue;
    const req = buildRequest(c);
    const text = req.body.toString('utf8');
    if (exceedsDepth(text, 65)) {
      // find depth
      let d = 0, max = 0, inS = false;
      for (let i = 0; i < text.length; i++) { const ch = text[i]; if (inS) { if (ch === '\\') i++; else if (ch === '"') inS = false; } else if (ch === '"') inS = true; else if (ch === '{' || ch === '[') max = Math.max(max, ++d); else if (ch === '}' || ch === ']') d--; }
      console.log('depth', max, 'len', text.length);
      const items = c.items.filter(i => i.kind === 'text');
      for (const it of items) { const t = (it as any).text as string; if (exceedsDepth(t, 64)) console.log('item', t.slice(0, 300)); }
      n++;
      if (n > 2) process.exit(0);
    }
  }
}), {numRuns: 3000, seed: 42});
console.log('none found');
