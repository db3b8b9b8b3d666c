"""A comparison as Markdown: a summary table of changes, then the instrument with
its insertions and deletions in CriticMarkup (`{++ ++}`, `{-- --}`, `{~~ ~> ~~}`).

The texts compared come from sessions other delegations write. Their words are
already escaped as Markdown by the instrument's writer; here the CriticMarkup
delimiters in them are broken too (`defuse`: a backslash inside each, which
Markdown does not show), so a hostile text can neither close a change nor open
one, even for a processor that knows nothing of Markdown's escapes. Markers
never span a line: a change over several lines is marked line by line, so that
list items, indentation and table rows stay what they were. The result passes
the check every draft passes.
"""

from __future__ import annotations

import re
from typing import Any

from negotiation.compare import (
    KIND_WORDS,
    Block,
    Change,
    Comparison,
    Piece,
    Section,
    SectionPair,
    markdown_tokens,
    word_diff,
)
from negotiation.drafting.markdown import md, refuse_live_markup

_CRITIC = {"{": "\\{", "}": "\\}", "~": "\\~"}
_AFTER_OPENER = ("+", "-", "=", "<", ">")
_LINE_BREAK = re.compile(r"(\n[ \t]*)")


def defuse(text: str) -> str:
    """Markdown source in which no CriticMarkup delimiter can be read: every `{`, `}`
    and `~` is escaped, and so is a `+ - = < >` right after a `{` or `~`. A processor
    that ignores backslashes then still finds no `{++`, `++}` or `~>` of the text's
    own: each has a backslash inside it, which Markdown does not show."""
    out: list[str] = []
    after = ""
    for token in markdown_tokens(text):
        bare = token[1:] if token.startswith("\\") else token
        if token in _CRITIC:
            token = _CRITIC[token]
        elif token in _AFTER_OPENER and after in ("{", "~"):
            token = "\\" + token
        out.append(token)
        after = bare
    return "".join(out)


def _wrap(kind: str, text: str) -> str:
    """`text` marked as inserted or deleted, line by line; breaks and indentation
    stay outside the markers."""
    opener, closer = ("{++", "++}") if kind == "ins" else ("{--", "--}")
    parts = _LINE_BREAK.split(text)
    return "".join(part if index % 2 or not part.strip() else f"{opener}{part}{closer}"
                   for index, part in enumerate(parts))


def critic(pieces: list[Piece]) -> str:
    out: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if piece.kind == "same":
            out.append(piece.text)
        elif (piece.kind == "del" and following is not None and following.kind == "ins"
              and "\n" not in piece.text + following.text):
            out.append(f"{{~~{piece.text}~>{following.text}~~}}")
            index += 1
        else:
            out.append(_wrap(piece.kind, piece.text))
        index += 1
    return "".join(out)


def _indented(body: str, number: int | None) -> str:
    if number is None:
        return body
    lead = f"{number}. "
    first, more, rest = body.partition("\n")
    pad = " " * len(lead)
    rest = "\n".join(pad + line if line.strip() else "" for line in rest.split("\n"))
    return lead + first + ("\n" + rest if more else "")


def _block(pair: tuple[Block | None, Block | None], comparison: Comparison) -> str:
    before, after = pair
    if before is not None and after is not None:
        pieces = word_diff(defuse(before.text), defuse(after.text), comparison.renumbering,
                           markdown_tokens)
        return _indented(critic(pieces), after.number)
    block = after or before
    assert block is not None
    kind = "ins" if after is not None else "del"
    whole = _indented(defuse(block.text), block.number)
    return _wrap(kind, whole)


def _heading(pair: SectionPair, comparison: Comparison) -> str | None:
    section: Section | None = pair.new or pair.old
    if section is None or not section.level:
        return None
    hashes = "#" * section.level
    if pair.old is not None and pair.new is not None:
        title = critic(word_diff(defuse(pair.old.title), defuse(pair.new.title), None,
                                 markdown_tokens))
        label = pair.new.label
        if label is None:
            return f"{hashes} {title}"
        formerly = f" (formerly {pair.moved_from})" if pair.moved_from else ""
        return f"{hashes} {label}{formerly} — {title}"
    label = f"{section.label} — " if section.label else ""
    return f"{hashes} " + _wrap("ins" if pair.new else "del", label + defuse(section.title))


def _value(value: Any) -> str:
    """A value of the change list in a few words for the table."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        if "clause" in value:
            params = value.get("params") or {}
            return str(value["clause"]) + "".join(f"; {k} {_value(v)}" for k, v in params.items())
        if "text" in value:
            text = " ".join(str(value["text"]).split())
            return f"own text: “{text[:200]}{'…' if len(text) > 200 else ''}”"
        if "what" in value:
            return str(value["what"]) + (f", by {value['by']}" if value.get("by") else "")
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def change_line(change: Change, comparison: Comparison) -> str:
    """One change in plain words, for the brief's "Since the last round"."""
    what = KIND_WORDS.get(change.kind, change.kind)
    if change.parameter:
        what += f" ({change.parameter})"
    line = f"{change.provision}: {what}"
    if not change.kind.startswith("text-"):
        line += f": {_value(change.before)} → {_value(change.after)}"
    if change.moved:
        line += f" (moved: {', '.join(comparison.name(p) for p in change.moved)})"
    return line


def _row(change: Change, comparison: Comparison, attribution: bool) -> str:
    what = KIND_WORDS.get(change.kind, change.kind)
    if change.parameter:
        what += f" ({change.parameter})"
    if change.kind.startswith("text-"):
        before = after = "see the text"
    else:
        before, after = _value(change.before), _value(change.after)
    moved = ", ".join(comparison.name(p) for p in change.moved) or "—"
    cells = [change.provision, what, before, after] + ([moved] if attribution else [])
    return "| " + " | ".join(defuse(md(c)) for c in cells) + " |"


def write_compare_markdown(comparison: Comparison, attribution: bool = True) -> str:
    """The comparison as Markdown. `attribution=False` leaves out who moved (the
    chair's text names no delegation)."""
    changes = comparison.changes
    lines = [f"# Changes from {defuse(md(comparison.old.label))} to "
             f"{defuse(md(comparison.new.label))}", ""]
    if comparison.old.tabled:
        lines += ["The earlier text is the instrument as tabled when its round closed.", ""]
    if changes:
        header = ["Provision", "Change", "Before", "After"] + (["Moved by"] if attribution
                                                              else [])
        lines += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        for change in changes:
            lines.append(_row(change, comparison, attribution))
    else:
        lines.append("No changes.")
    lines += ["", "---", ""]
    for pair in comparison.sections:
        heading = _heading(pair, comparison)
        if heading is not None:
            lines += [heading, ""]
        for block in pair.blocks:
            lines += [_block(block, comparison), ""]
    text = "\n".join(lines).strip() + "\n"
    return refuse_live_markup(text, "the comparison")
