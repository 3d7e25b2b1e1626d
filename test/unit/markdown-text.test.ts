/** The Markdown helpers: text people and monitors wrote reads the same, but cannot change the document's shape. */
import {
  codeSpan,
  blockText,
  escapeHtml,
  inlineText,
  linkText,
  markdownLink,
  safeUrl,
} from '../../src/domain/markdown-text';

describe('escapeHtml', () => {
  it('when the text carries a named entity, then it shows as written, not as the character', () => {
    expect(escapeHtml('write &lt;b&gt; for bold')).toBe('write &amp;lt;b&amp;gt; for bold');
  });

  it('when the text carries a numeric entity, then it shows as written', () => {
    expect(escapeHtml('quote: &#39;')).toBe('quote: &amp;#39;');
  });

  it('when an ampersand starts no entity, then it stays a plain ampersand', () => {
    expect(escapeHtml('R&D & ops; a&b')).toBe('R&D & ops; a&b');
  });

  it('when the text carries tags, then they become visible text', () => {
    expect(escapeHtml('<b>x</b>')).toBe('&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('inlineText', () => {
  it('when the text has surrounding whitespace, then it is trimmed', () => {
    expect(inlineText('  disk full \n')).toBe('disk full');
  });

  it('when the text has runs of whitespace and line breaks, then each run becomes one space', () => {
    expect(inlineText('disk  full\n\non\tweb-1')).toBe('disk full on web-1');
  });
});

describe('linkText', () => {
  it('when the text has brackets and backslashes, then each is escaped so the link keeps its shape', () => {
    expect(linkText('[P1] a\\b]')).toBe('\\[P1\\] a\\\\b\\]');
  });
});

describe('safeUrl', () => {
  it('when the url is surrounded by whitespace, then the link target is the trimmed url', () => {
    expect(safeUrl('  https://app.example.com/monitors/1  ')).toBe('https://app.example.com/monitors/1');
  });

  it('when the url is plain http, then it is a safe link', () => {
    expect(safeUrl('http://status.example.com/')).toBe('http://status.example.com/');
  });

  it('when an http url only appears after another scheme, then it is no link', () => {
    expect(safeUrl('javascript:https://example.com')).toBeNull();
  });

  it('when the url has whitespace inside it, then it is no link', () => {
    expect(safeUrl('https://example.com/a b')).toBeNull();
  });

  it('when the url has brackets, parentheses or angle brackets, then they are percent-encoded in upper case', () => {
    expect(safeUrl('https://example.com/q?[a](b)<c>')).toBe('https://example.com/q?%5Ba%5D%28b%29%3Cc%3E');
  });

  it('when the url is null, then there is no link', () => {
    expect(safeUrl(null)).toBeNull();
  });
});

describe('markdownLink', () => {
  it('when the url is safe, then the text links to it with its brackets escaped', () => {
    expect(markdownLink('[web] errors', 'https://example.com/m/1')).toBe(
      '[\\[web\\] errors](https://example.com/m/1)',
    );
  });

  it('when the url is not safe, then only the text is shown', () => {
    expect(markdownLink('errors', 'ftp://example.com')).toBe('errors');
  });
});

describe('blockText: line breaks and blank lines', () => {
  it('when the text starts and ends with blank lines, then they are dropped', () => {
    expect(blockText('\n\n  \nrolled back\n\n')).toBe('rolled back');
  });

  it('when lines end with carriage returns (Windows or old Mac), then each becomes one line break', () => {
    expect(blockText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  it('when lines have trailing spaces, then they are removed and the indentation is kept', () => {
    expect(blockText('steps:  \n  - restart web-1  ')).toBe('steps:\n  - restart web-1');
  });

  it('when paragraphs are separated by several blank lines, then they are separated by one', () => {
    expect(blockText('first\n\n\n\nsecond')).toBe('first\n\nsecond');
  });
});

describe('blockText: lines that would change the document', () => {
  it('when a line starts with # after up to three spaces, then the # is escaped', () => {
    expect(blockText('# Title\n   ## Sub')).toBe('\\# Title\n   \\## Sub');
  });

  it('when a # is inside a line, then the line is kept as written', () => {
    expect(blockText('see issue #42')).toBe('see issue #42');
  });

  it('when a word is followed by # at the start of a line, then the line is kept as written', () => {
    expect(blockText('C# rocks')).toBe('C# rocks');
  });

  it('when a line defines a link, even indented, then the definition is escaped', () => {
    expect(blockText('links:\n  [docs]: https://example.com')).toBe(
      'links:\n  \\[docs]: https://example.com',
    );
  });

  it('when a bracketed label with a colon is inside a line, then the line is kept as written', () => {
    expect(blockText('see [docs]: the runbook')).toBe('see [docs]: the runbook');
  });

  it('when a word is directly followed by a bracketed label with a colon, then the line is kept', () => {
    expect(blockText('ab[x]: y')).toBe('ab[x]: y');
  });

  it('when a line opens a code fence, with backticks or tildes, even indented, then the fence is escaped', () => {
    expect(blockText('run:\n  ```sh\n~~~')).toBe('run:\n  \\```sh\n\\~~~');
  });

  it('when three backticks are inside a line, then the line is kept as written', () => {
    expect(blockText('use ``` to quote')).toBe('use ``` to quote');
  });

  it('when a line starts with single backticks or a single tilde, then it is kept as written', () => {
    expect(blockText('`code` first\n~5 minutes')).toBe('`code` first\n~5 minutes');
  });

  it('when a word is directly followed by a fence, then the line is kept as written', () => {
    expect(blockText('ab```')).toBe('ab```');
  });

  it('when a line is a setext underline of = or -, even indented, then it is escaped', () => {
    expect(blockText('Title\n==\n\nOther\n  --')).toBe('Title\n\\==\n\nOther\n  \\--');
  });

  it('when a line is a thematic break of spaced or unspaced marks, then it is escaped', () => {
    expect(blockText('***\n\n* * *\n\n_ _ _')).toBe('\\***\n\n\\* * *\n\n\\_ _ _');
  });

  it('when a line ends with dashes after text, then it is kept as written', () => {
    expect(blockText('total ---')).toBe('total ---');
  });

  it('when a word is directly followed by dashes, then the line is kept as written', () => {
    expect(blockText('ab---')).toBe('ab---');
  });

  it('when a line is a command-line flag such as --help, then it is kept as written', () => {
    expect(blockText('--help')).toBe('--help');
  });

  it('when a line is a lone list marker, then it is kept as written', () => {
    expect(blockText('*')).toBe('*');
  });
});

describe('codeSpan', () => {
  test.each([
    ['avg(last_5m):sum:errors{service:web} > 5', '`avg(last_5m):sum:errors{service:web} > 5`'],
    ['a `tick` inside', '``a `tick` inside``'],
    ['``two`` and `one`', '``` ``two`` and `one` ```'],
    ['no ticks `x` here', '``no ticks `x` here``'],
    ['`starts with one', '`` `starts with one ``'],
    ['<script>alert(1)</script>\n# heading', '`<script>alert(1)</script> # heading`'],
  ])('when %j is shown as code, then it is %s', (text, code) => {
    expect(codeSpan(text)).toBe(code);
  });
});
