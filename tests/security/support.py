"""Helpers shared by the security tests: reading every format back as text."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
import pypdf
from markdown_it import MarkdownIt
from markdown_it.token import Token

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Characters a PDF or an XML document cannot hold (or that writers drop)."""


def flat(text: str) -> str:
    """Text with control characters dropped and whitespace folded, as a reader sees it."""
    text = CONTROL.sub("", text.replace("\xa0", " "))
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return flat(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def docx_text(data: bytes) -> str:
    """Every piece of text a reader of the .docx can see: body, tables, headers,
    footers and comments."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if "word/comments.xml" in package.namelist():
            comments = package.read("word/comments.xml").decode("utf-8")
            parts += re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", comments)
    return flat("\n".join(parts))


def markdown_tokens(markdown: str) -> list[Token]:
    """The Markdown as a CommonMark renderer with raw HTML on sees it (flattened)."""
    out: list[Token] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def markdown_visible_text(markdown: str) -> str:
    """What a reader of the rendered Markdown sees: the text of every inline node."""
    parts: list[str] = []
    for token in markdown_tokens(markdown):
        if token.type in ("text", "code_inline", "text_special"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close",
                            "td_close", "th_close"):
            parts.append(" ")
    return flat("".join(parts))


ACTIVE_TOKENS = {"link_open", "image", "html_inline", "html_block"}


def active_markdown(markdown: str) -> list[Any]:
    """Links, images and raw HTML in the Markdown: a draft holds none."""
    return [(t.type, t.content, t.attrs) for t in markdown_tokens(markdown)
            if t.type in ACTIVE_TOKENS]
