/**
 * Text that people or monitors wrote, made safe to place in a Markdown document: it reads the same, but cannot
 * start a heading, close the document into a code block, split a table cell, hide a link target or carry HTML.
 */

/** `<`, `>` and what looks like an entity become entities: no HTML gets through, `&lt;` stays visible. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&(?=#?[a-z0-9]+;)/gi, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Written links become text (`[x](url)` shows as written): a monitor name or a note cannot hide a link target.
 * Bare URLs stay as they are.
 */
export function neutralizeLinks(text: string): string {
  return text.replace(/\]\(/g, '\\](');
}

/** One line of text inside a line of the document (a list item, a timeline entry). */
export function inlineText(text: string): string {
  return neutralizeLinks(oneLine(text));
}

/** A table cell: one line, and `|` escaped so it stays in its cell. */
export function cellText(text: string): string {
  return inlineText(text).replace(/\|/g, '\\|');
}

/** The text of a Markdown link: `[` and `]` escaped so the link keeps its shape. */
export function linkText(text: string): string {
  return oneLine(text).replace(/([[\]\\])/g, '\\$1');
}

/**
 * Paragraphs people wrote: their lists and emphasis kept, but no line may open a heading (`#`, or a setext
 * underline), a thematic break or a code fence that would swallow the rest of the document.
 */
export function blockText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => escapeBlockLine(neutralizeLinks(escapeHtml(line.trimEnd()))))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** An http(s) link target, with the characters that would end it early encoded; null for anything else. */
export function safeUrl(url: string | null): string | null {
  if (url === null || !/^https?:\/\/[^\s]+$/i.test(url.trim())) return null;
  return url.trim().replace(/[()<>[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `[text](url)`, or the text alone when the url is not a safe link. */
export function markdownLink(text: string, url: string | null): string {
  const target = safeUrl(url);
  return target === null ? inlineText(text) : `[${linkText(text)}](${target})`;
}

/**
 * Text as inline code: one line, fenced with one backtick more than its longest run of them (so no backtick
 * inside can close it), padded when it starts or ends with one. Inside code, Markdown and HTML are literal.
 */
export function codeSpan(text: string): string {
  // Not escapeHtml'd as other text is: inside code, `<` is shown as it is, and `&lt;` would be shown as that.
  const line = text.replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** `_To fill: ..._`: a prompt where people have not written yet. */
export function prompt(text: string): string {
  return `_To fill: ${text}_`;
}

const HEADING = /^(\s{0,3})(#)/;
/** `[name]: url` defines a link that `[name]` elsewhere would use. */
const LINK_DEFINITION = /^(\s{0,3})(\[[^\]]*\]:)/;
const FENCE = /^(\s{0,3})(`{3,}|~{3,})/;
const UNDERLINE_OR_BREAK = /^(\s{0,3})(=+|-+|(?:[-*_]\s*){3,})\s*$/;

function escapeBlockLine(line: string): string {
  if (HEADING.test(line)) return line.replace(HEADING, '$1\\$2');
  if (LINK_DEFINITION.test(line)) return line.replace(LINK_DEFINITION, '$1\\$2');
  if (FENCE.test(line)) return line.replace(FENCE, '$1\\$2');
  if (UNDERLINE_OR_BREAK.test(line)) return line.replace(/^(\s{0,3})/, '$1\\');
  return line;
}

function oneLine(text: string): string {
  return escapeHtml(text.replace(/\s+/g, ' ').trim());
}
