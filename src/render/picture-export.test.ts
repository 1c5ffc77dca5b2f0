import { describe, expect, it } from 'vitest';
import { escapeXml, headerLayout, pictureSvg } from './picture-export';
import { LIGHT_THEME } from './theme';
import { opaque, striped } from './colours';

describe('picture export', () => {
  it('escapes markup once and replaces what XML cannot hold', () => {
    expect(escapeXml(`<img src=x onerror="a('&')">`)).toBe('&lt;img src=x onerror=&quot;a(&apos;&amp;&apos;)&quot;&gt;');
    expect(escapeXml('a\u0000b\u001fc\ud800d\udc00e')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(escapeXml('😀 tab\tnewline\n')).toBe('😀 tab\tnewline\n');
  });
  it('an SVG of frames and labels: one rect per frame (two for a striped one), each label as text', () => {
    const pic = {
      widthPx: 200,
      heightPx: 36,
      rects: new Float32Array([0, 0, 200, 18, 0, 18, 100, 18]),
      colours: new Uint32Array([0xd9d9d9ff, striped(0xd6301eff)]),
      nodes: new Int32Array([0, 1]),
      count: 2,
      labels: [{ text: 'main & <co>', x: 3, y: 2, colour: 0 }],
      theme: LIGHT_THEME,
      rowsLeftOut: 0,
    };
    const svg = pictureSvg(pic, { lines: [{ text: 'a → b', tone: 'title' }], legend: null });
    const head = headerLayout({ lines: [{ text: 'a → b', tone: 'title' }], legend: null }, LIGHT_THEME);
    expect(svg).toContain(`height="${head.height + 36}"`);
    expect(svg.match(/<rect /g)!.length).toBe(1 + 1 + 2);
    expect(svg).toContain('fill="url(#s0)"');
    expect(svg).toContain('>main &amp; &lt;co&gt;</text>');
    expect(svg).toContain('<title>a → b</title>');
    expect(svg).toContain(`fill="#${opaque(striped(0xd6301eff)).toString(16)}"`);
    expect(svg).not.toContain('pointer-events');

    // With tooltips: each frame a group holding its <title> (escaped) and its rects; labels let the pointer through.
    const titled = pictureSvg(pic, { lines: [{ text: 'a → b', tone: 'title' }], legend: null }, (node) => (node === 1 ? 'f <x>\nhead: 3' : null));
    expect(titled).toContain('<g><title>f &lt;x&gt;\nhead: 3</title><rect x="0" y="18"');
    expect(titled.match(/<g><title>/g)!.length).toBe(1);
    expect(titled).toMatch(/<g pointer-events="none">\n<text[^>]*>main &amp; &lt;co&gt;<\/text>\n<\/g>/);
  });
});
