/**
 * Text into XML, SVG and HTML: every text of a report passes here, so a name
 * such as `<script>` or `"><b>` stays text. Characters XML 1.0 cannot hold at
 * all (control characters other than tab and line breaks, lone surrogates,
 * U+FFFE/U+FFFF) would make the whole SVG unreadable; stored text may
 * predate today's input rules, so they become U+FFFD.
 */
const SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => SPECIAL[c] as string);
}

/** At most `max` characters (an ellipsis marks a cut): SVG text does not wrap. The full text goes in a tooltip. */
export function clipped(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}
