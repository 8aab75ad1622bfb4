"""Escaping for everything printed for people: a terminal, rich, Markdown, HTML and SVG.

Names, ids, titles, notes, file paths and the messages built from them are data, never
instructions to whatever displays them. Each function here takes such a text and returns one
that the target shows as written:

- `terminal`: control characters (C0, DEL, C1 — ESC, BEL, CSI, ...), the bidirectional
  embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the line and paragraph
  separators (U+2028, U+2029) and lone surrogates are replaced by a visible escape in Python's
  notation: ESC is shown as the four characters ``\\x1b``, U+202E as ``\\u202e``. Tab and newline
  are kept unless ``newlines=False``. The replacement is visible and cannot be taken for the
  character it stands for; a backslash already in the text is left as it is (the escape is for
  reading, not for decoding back).
- `markup`: for a rich markup string (``f"[bold]{markup(name)}[/bold]"``): `terminal`, then
  every ``[`` escaped as rich's parser reads it (a tag-like one and a bare one differ), so
  the text reads back exactly before a tag. Better still, build a `rich.text.Text`, which rich
  never parses (nor replaces ``:emoji:`` codes in).
- `markdown`: for Markdown text and GFM table cells: backslash-escapes the characters that make
  emphasis, code, links, images, tables and headings, writes ``<`` and ``&`` as entities (no raw
  HTML, no autolink, no entity decoded), joins lines with a space and escapes what would open a
  block at the start. ``_`` is kept inside a word (``provinces_merged``), where it makes no
  emphasis. A bare ``http://`` URL may still be linked by a GFM renderer (never ``javascript:``).
  `markdown_code` writes a code span, or escaped text where a code span could not hold it as
  written.
- `html`, `xml`: `terminal`, then ``&``, ``<``, ``>``, ``"`` and ``'`` as entities: safe in an
  element's text and in a quoted attribute of an HTML page or an SVG document.
- `json_text`: JSON already encoded with ``ensure_ascii=False`` (which leaves C1 controls and
  bidi overrides raw) with those characters written as ``\\uXXXX``: still the same JSON.

This module imports nothing from orgmodel.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["html", "json_text", "markdown", "markdown_code", "markup", "terminal", "xml"]

# C0 but tab and newline, DEL, C1; bidi embeddings/overrides and isolates; line and paragraph
# separators; lone surrogates (which no encoding writes).
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_TERMINAL = re.compile(f"[{_UNSAFE}]")
_TERMINAL_ONE_LINE = re.compile(f"[{_UNSAFE}\t\n]")


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c <= 0xFF else f"\\u{c:04x}"


def terminal(text: str, *, newlines: bool = True) -> str:
    """`text` with every character a terminal would act on shown as a visible escape.

    ``terminal("a\\x1b[31mb")`` is ``"a\\\\x1b[31mb"`` (prints as ``a\\x1b[31mb``). Tab and
    newline are kept, unless ``newlines=False`` (then ``\\t`` and ``\\n`` are escaped too).
    """
    pattern = _TERMINAL if newlines else _TERMINAL_ONE_LINE
    return pattern.sub(_visible, text)


# a `[` as rich's markup parser reads it: a tag when what follows looks like one
_RICH_BRACKET = re.compile(r"(\\*)(\[(?:[a-z#/@][^\[]*?\])?)")


def _rich_bracket(m: re.Match[str]) -> str:
    n, bracket = len(m.group(1)), m.group(2)
    # before a tag, 2n+1 backslashes show n and the tag as text; before another `[`, the
    # parser only turns the last `\[` into `[`
    return "\\" * (2 * n + 1 if len(bracket) > 1 else n + 1) + bracket


def markup(text: str) -> str:
    """`text` for insertion into a rich markup string (``f"[bold]{markup(name)}[/bold]"``):
    shown as written, never read as a tag, and never turning the template's next tag into
    text. Backslashes at the end are doubled, as a tag that follows needs (at the very end of
    the markup they show doubled). Rich also replaces ``:name:`` emoji codes in markup: a
    `rich.text.Text` has none of these pitfalls."""
    t = _RICH_BRACKET.sub(_rich_bracket, terminal(text))
    body = t.rstrip("\\")
    return body + "\\" * (2 * (len(t) - len(body)))


# Markdown: escaped anywhere they occur (CommonMark lets a backslash escape any ASCII
# punctuation). `_` only where it could open or close emphasis: not inside a word, so that
# `provinces_merged` is written as it is.
_MD_ALWAYS = re.compile(r"[\\`*\[\]|#~]")
_MD_UNDERSCORES = re.compile(r"_+")
# what opens a block at the start of a line: a list item, a quote, a heading underline, a
# thematic break, an ordered list item ("1." / "1)"); leading spaces (code) are dropped
_MD_BLOCK_START = re.compile(r"^(?:([-+=>])|(\d{1,9})([.)]))")
_MD_NOT_CODE = re.compile(r"[`|\\\s]")


def _md_underscores(m: re.Match[str]) -> str:
    s = m.string
    before = s[m.start() - 1] if m.start() > 0 else ""
    after = s[m.end()] if m.end() < len(s) else ""
    if before.isalnum() and after.isalnum():
        return m.group()
    return "\\_" * len(m.group())


def markdown(text: str, *, line_start: bool = True) -> str:
    """`text` as Markdown (GFM) that shows it as written, on one line, in a paragraph, a
    heading or a table cell: no emphasis, code, link, image, raw HTML, entity, table cell
    boundary or block is made from it. White space at either end is dropped. With
    ``line_start=False`` (the text goes in the middle of a line, or in a table cell), a leading
    ``-``, ``+``, ``=``, ``>`` or ``1.`` is left as it is: only at the start of a line does it
    open a block."""
    text = " ".join(terminal(text.replace("\r\n", "\n")).splitlines()) if text else ""
    text = _MD_ALWAYS.sub(lambda m: "\\" + m.group(), text)
    text = _MD_UNDERSCORES.sub(_md_underscores, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = text.strip()
    m = _MD_BLOCK_START.match(text) if line_start else None
    if m:
        if m.group(1):
            text = "\\" + text
        else:
            digits = m.group(2)
            text = digits + "\\" + text[len(digits) :]
    return text


def markdown_code(text: str) -> str:
    """`text` as a Markdown code span (`` `text` ``), anywhere, a table cell too. A text a
    plain code span cannot hold as written (a backtick, ``|``, a backslash, white space) is
    written as escaped text instead (`markdown`)."""
    text = terminal(text)
    if not text or _MD_NOT_CODE.search(text):
        return markdown(text, line_start=False)
    return f"`{text}`"


def html(text: str) -> str:
    """`text` for an HTML element's content or a quoted attribute value."""
    return _html.escape(terminal(text), quote=True)


def xml(text: str) -> str:
    """`text` for an SVG (XML) element's content or a quoted attribute value: also no
    character XML 1.0 refuses (controls are written as visible escapes)."""
    return _html.escape(terminal(text).replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff"))


_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(encoded: str) -> str:
    """JSON encoded with ``ensure_ascii=False`` with the C1 controls, DEL and the bidi and line
    separator characters written as ``\\uXXXX`` (JSON already escapes the C0 controls). These
    characters occur only inside strings, where the escape means the same character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
