"""The Markdown writer: canonical, deterministic, diffable.

The skeleton per form lives in `templates/<form>.md.j2` (our own, trusted
templates, so a plain Jinja2 environment); the filters below do what a
skeleton should not: escape plain strings, indent numbered paragraphs and
lay out bracketed options with who supports them. Every value a skeleton
prints goes through one of them: ids, titles and names come from libraries
and sessions that other delegations write.

Linkwright's own skeletons write no link, image or HTML, so the finished
document may hold none: `refuse_live_markup` checks it as the last wall,
behind the escaping here and the check of each clause fragment.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from importlib import resources

import jinja2

from negotiation.drafting.model import Draft, Markdown, Option, Paragraph, Table
from negotiation.drafting.phrases import (
    Phrases,
    supporters_words,
    unconfirmed_words,
    value_note_words,
)
from negotiation.errors import LinkwrightError
from negotiation.templating import (
    _format_date,
    escape_markdown,
    join_words,
    live_markup,
    long_date,
)


def md(value: object) -> str:
    """A plain string, escaped so that it shows literally."""
    return escape_markdown(str(value))


_PLAIN_ID = re.compile(r"[A-Za-z0-9_.\-]+")


def code(value: object) -> str:
    """An id as code when it is a plain id, escaped text otherwise: nothing inside a
    code span can be escaped, so a backtick in a hostile id would close the span and
    let the rest of the id be read as Markdown."""
    shown = str(value)
    return f"`{shown}`" if _PLAIN_ID.fullmatch(shown) else md(shown)


def text(value: Markdown | str) -> str:
    return value.source if isinstance(value, Markdown) else md(value)


def bracketed(note: str) -> str:
    """A builder's bracketed note: our brackets stay, the text inside is escaped."""
    if note.startswith("[") and note.endswith("]"):
        return f"[{md(note[1:-1])}]"
    return md(note)


def cell(value: str) -> str:
    return value.replace("\n", " ").replace("|", "\\|")


def supporters_note(options: list[Option], say: Phrases | None = None) -> str:
    if say is not None and not say.english:
        return "*" + "; ".join(
            md(supporters_words(say, o.number, [s.party for s in o.supporters],
                                any(s.proposed for s in o.supporters)))
            for o in options) + ".*"
    parts = []
    for option in options:
        names = join_words([escape_markdown(s.party) for s in option.supporters])
        verb = "proposed by" if any(s.proposed for s in option.supporters) else "supported by"
        parts.append(f"Option {option.number} {verb} {names}")
    return "*" + "; ".join(parts) + ".*"


def _indent(block: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in block.splitlines())


def unconfirmed_note(value: Paragraph, say: Phrases | None = None) -> str:
    """The note under a paragraph whose values nobody has confirmed: each escaped
    whole, so its brackets read as brackets whatever follows them."""
    if say is not None and not say.english:
        return "*" + " ".join(md(unconfirmed_words(say, n.parameter, n.bracket))
                              for n in value.unconfirmed) + "*"
    return ("*Not yet agreed — " + "; ".join(md(n.describe()) for n in value.unconfirmed)
            + ".*")


def paragraph(value: Paragraph, attribution: bool = True, say: Phrases | None = None) -> str:
    """A numbered paragraph with its options, notes and lettered points.

    Without attribution (the chair's text) the brackets stay and every note saying
    who supports what goes: the options and disputed values speak for themselves."""
    label = f"{value.number}." if value.label is None else value.label
    lead = f"{label} " if label else ""
    if value.status in ("agreed", "disputed"):
        body = text(value.text) if value.text else ""
    elif value.status == "options":
        word = (lambda n: md(say("option", number=n))) if say and not say.english \
            else (lambda n: f"Option {n}")
        body = " ".join(f"[{word(o.number)}: {text(o.text)}]" for o in value.options)
        if attribution:
            body += "\n\n" + supporters_note(value.options, say)
    else:
        body = bracketed(value.note)
    if value.value_notes and attribution and say is not None and not say.english:
        body += "\n\n*" + " ".join(md(value_note_words(say, n.parameter, list(n.values)))
                                   for n in value.value_notes) + "*"
    elif value.value_notes and attribution:
        notes = "; ".join(
            f"{md(n.parameter)}: " + ", ".join(
                f"[{md(shown)}] {join_words([md(p) for p in who])}" for shown, who in n.values)
            for n in value.value_notes)
        body += f"\n\n*Disputed values — {notes}.*"
    if value.unconfirmed:
        body += "\n\n" + unconfirmed_note(value, say)
    for letter, item in value.points:
        body += "\n\n" + point(letter, item)
    if not re.fullmatch(r"\d+\. ", lead):
        # A lone paragraph, or one numbered "(1)": not a Markdown list, so its further
        # blocks stay at the margin (indented, they would read as code).
        return lead + body
    first, _, rest = body.partition("\n")
    return lead + first + ("\n" + _indent(rest, len(lead)) if rest else "")


def point(letter: str, value: Markdown | str) -> str:
    """A lettered point of a paragraph: "(a) …"."""
    return f"({letter}) {text(value)}"


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
    env.filters.update(md=md, code=code, text=text, cell=cell, paragraph=paragraph,
                       table=table, longdate=_longdate, andjoin=join_words)
    return env


def _longdate(value: object, language: str = "en") -> str:
    if language == "en" or not isinstance(value, dt.date):
        return _format_date(value)
    return md(long_date(value, language))


def refuse_live_markup(markdown: str, document: str) -> str:
    """`markdown` as it is, or a LinkwrightError naming `document`, if a CommonMark
    reader would find a link, an image, an autolink, raw HTML or a link reference
    definition in it. Linkwright writes none of them itself, so whatever is found
    came from a clause or a value, perhaps split across two of them."""
    found = live_markup(markdown)
    if found is not None:
        raise LinkwrightError(
            f"the Markdown of {document} would hold {found.what} (line {found.line}); "
            "Linkwright writes no links, images or HTML: remove the markup from the clause "
            "text or the session value that put it there")
    return markdown


def write_markdown(draft: Draft, attribution: bool = True) -> str:
    """The draft as Markdown text; the same draft always gives the same bytes.
    `attribution=False` leaves out who supports which option or value."""
    rendered = environment().get_template(f"{draft.form}.md.j2").render(
        draft=draft, attribution=attribution)
    rendered = re.sub(r"\n{3,}", "\n\n", rendered)
    return refuse_live_markup(rendered.strip() + "\n", f"the {draft.form} draft")
