"""A comparison as PDF: the newer text with its insertions underlined in colour, its
deletions struck through, and a change bar in the margin beside every paragraph that
changed, after a table of the changes.

It walks the comparison as the Word writer does (`compare_docx`): the same sections,
blocks and word differences, so the three outputs never disagree on what changed.
Every word comes from sessions other delegations write and goes through
`typst_escape`; the markup around it is ours. Numbers that changed only because
articles were renumbered are not marked, and an article that moved says where it
stood.
"""

from __future__ import annotations

from negotiation.compare import (
    KIND_WORDS,
    Block,
    Comparison,
    Piece,
    SectionPair,
    block_paragraphs,
    heading_text,
    word_diff,
)
from negotiation.drafting.compare_docx import paired
from negotiation.drafting.typst_writer import compile_pdf, typst_escape

INSERTED = 'rgb("#1a5fb4")'
DELETED = 'rgb("#a51d2d")'

PAGE = f"""#set page(paper: "a4", margin: (x: 2.4cm, y: 2.2cm))
#set text(font: "Libertinus Serif", size: 10.5pt, lang: "en", hyphenate: false)
#set par(justify: false, spacing: 0.9em)
#let lw-ins(body) = text(fill: {INSERTED}, underline(stroke: 0.7pt + {INSERTED}, body))
#let lw-del(body) = text(fill: {DELETED}, strike(stroke: 0.7pt + {DELETED}, body))
// A change bar: a rule in the left margin beside the whole paragraph.
#let lw-changed(body) = block(width: 100%, stroke: (left: 2pt + {DELETED}),
  outset: (left: 0.6cm), inset: (left: -0.6cm + 2pt))[#pad(left: 0.6cm - 2pt, body)]
"""


def _pieces(pieces: list[Piece]) -> tuple[str, bool]:
    """The pieces as Typst, and whether any of them is a change."""
    out: list[str] = []
    changed = False
    for piece in pieces:
        text = typst_escape(piece.text)
        if piece.kind == "same" or not piece.text.strip():
            out.append(text)
            continue
        changed = True
        out.append(f"#lw-{'ins' if piece.kind == 'ins' else 'del'}[{text}]")
    return "".join(out), changed


def _paragraph(body: str, changed: bool) -> str:
    return f"#lw-changed[{body}]\n" if changed else f"{body}\n"


def _paragraphs(comparison: Comparison, old: list[str], new: list[str]) -> list[str]:
    out = []
    for before, after in paired(old, new):
        if before is None or after is None:
            kind = "ins" if after is not None else "del"
            text = after if after is not None else before or ""
            out.append(_paragraph(f"#lw-{kind}[{typst_escape(text)}]", True))
            continue
        body, changed = _pieces(word_diff(before, after, comparison.renumbering))
        out.append(_paragraph(body, changed))
    return out


def _section(comparison: Comparison, pair: SectionPair) -> list[str]:
    out = []
    section = pair.new or pair.old
    if section is not None and section.level:
        old = [heading_text(pair.old, pair.new.label if pair.new else None)] if pair.old else []
        new = [heading_text(pair.new)] if pair.new else []
        level = max(1, min(section.level - 1, 3))
        for before, after in paired(old, new):
            if before is None or after is None:
                kind = "ins" if after is not None else "del"
                body = f"#lw-{kind}[{typst_escape(after or before or '')}]"
            else:
                body = _pieces(word_diff(before, after, comparison.renumbering))[0]
            out.append(f"#heading(level: {level})[{body}]\n")
        if pair.moved_from:
            formerly = typst_escape(f"formerly {pair.moved_from}")
            out.append(f'#text(size: 9pt, style: "italic")[{formerly}]\n')
    for before, after in pair.blocks:
        out.extend(_block(comparison, before, after))
    return out


def _block(comparison: Comparison, before: Block | None, after: Block | None) -> list[str]:
    old = block_paragraphs(before, after.number if after else None) if before else []
    new = block_paragraphs(after) if after else []
    return _paragraphs(comparison, old, new)


def _summary(comparison: Comparison, attribution: bool) -> str:
    if not comparison.changes:
        return "No change between the two rounds.\n"
    cells = []
    for change in comparison.changes:
        who = comparison.author(change.provision, attribution)
        cells += [change.provision or "—", KIND_WORDS.get(change.kind, change.kind), who]
    body = ", ".join(f"[{typst_escape(str(c))}]" for c in cells)
    return ("#table(columns: (auto, auto, 1fr), stroke: 0.4pt, inset: 4pt, "
            "[*Provision*], [*Change*], [*Who*], " + body + ")\n")


def comparison_typst(comparison: Comparison, attribution: bool = True) -> str:
    title = typst_escape(f"Changes from {comparison.old.label} to {comparison.new.label}")
    parts = [PAGE, f"#align(center, text(size: 13pt, weight: \"bold\")[{title}])\n",
             "#text(size: 9pt)[Insertions #lw-ins[underlined]; deletions #lw-del[struck "
             "through]; a bar in the margin beside every paragraph that changed.]\n",
             "== Summary of changes\n", _summary(comparison, attribution),
             "#pagebreak()\n"]
    for pair in comparison.sections:
        parts.extend(_section(comparison, pair))
    return "\n".join(parts)


def write_compare_pdf(comparison: Comparison, attribution: bool = True) -> bytes:
    return compile_pdf(comparison_typst(comparison, attribution))
