"""The Markdown writer: canonical, deterministic, diffable.

The skeleton per form lives in `templates/<form>.md.j2` (our own, trusted
templates, so a plain Jinja2 environment); the filters below do what a
skeleton should not: escape plain strings, indent numbered paragraphs and
lay out bracketed options with who supports them.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import jinja2

from negotiation.drafting.model import Draft, Markdown, Option, Paragraph, Table
from negotiation.templating import _format_date, escape_markdown, join_words


def md(value: object) -> str:
    """A plain string, escaped so that it shows literally."""
    return escape_markdown(str(value))


def text(value: Markdown | str) -> str:
    return value.source if isinstance(value, Markdown) else md(value)


def bracketed(note: str) -> str:
    """A builder's bracketed note: our brackets stay, the text inside is escaped."""
    if note.startswith("[") and note.endswith("]"):
        return f"[{md(note[1:-1])}]"
    return md(note)


def cell(value: str) -> str:
    return value.replace("\n", " ").replace("|", "\\|")


def supporters_note(options: list[Option]) -> str:
    parts = []
    for option in options:
        names = join_words([escape_markdown(s.party) for s in option.supporters])
        verb = "proposed by" if any(s.proposed for s in option.supporters) else "supported by"
        parts.append(f"Option {option.number} {verb} {names}")
    return "*" + "; ".join(parts) + ".*"


def _indent(block: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in block.splitlines())


def paragraph(value: Paragraph) -> str:
    """A numbered paragraph with its options, notes and lettered points."""
    lead = f"{value.number}. "
    if value.status in ("agreed", "disputed"):
        body = text(value.text) if value.text else ""
    elif value.status == "options":
        body = " ".join(f"[Option {o.number}: {text(o.text)}]" for o in value.options)
        body += "\n\n" + supporters_note(value.options)
    else:
        body = bracketed(value.note)
    if value.value_notes:
        notes = "; ".join(
            f"{md(n.parameter)}: " + ", ".join(
                f"[{md(shown)}] {join_words([md(p) for p in who])}" for shown, who in n.values)
            for n in value.value_notes)
        body += f"\n\n*Disputed values — {notes}.*"
    for letter, point in value.points:
        body += f"\n\n({letter}) {text(point)}"
    first, _, rest = body.partition("\n")
    return lead + first + ("\n" + _indent(rest, len(lead)) if rest else "")


def table(value: Table) -> str:
    lines = ["| " + " | ".join(cell(md(h)) for h in value.headers) + " |",
             "| " + " | ".join("---" for _ in value.headers) + " |"]
    lines += ["| " + " | ".join(cell(md(c)) for c in row) + " |" for row in value.rows]
    return "\n".join(lines)


def _load_template(name: str) -> str:
    return (resources.files("templates") / name).read_text("utf-8")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_load_template),
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(md=md, text=text, cell=cell, paragraph=paragraph, table=table,
                       longdate=_format_date, andjoin=join_words)
    return env


def write_markdown(draft: Draft) -> str:
    """The draft as Markdown text; the same draft always gives the same bytes."""
    rendered = environment().get_template(f"{draft.form}.md.j2").render(draft=draft)
    rendered = re.sub(r"\n{3,}", "\n\n", rendered)
    return rendered.strip() + "\n"
