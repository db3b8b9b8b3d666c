"""The status of the text: the cover note that travels beside a draft, never inside it.

A tabled instrument holds only the instrument. What the tool knows about the
text — how many provisions are still open, which provision (by id) stands
where and why it is open, and which Annex I entries still wait for a
party's rule, with the research note behind each — goes here
(`linkwright render --document status`). It carries source notes, so it is
marked internal like the brief.
"""

from __future__ import annotations

import re

from negotiation.drafting.builder import build_draft
from negotiation.drafting.criteria import TO_BE_STATED, to_be_stated
from negotiation.drafting.markdown import environment, refuse_live_markup
from negotiation.session import Negotiation

MARKING = "Internal — not for the other side"


def status_title(neg: Negotiation) -> str:
    return f"Status of the text: {neg.session.short_title or neg.session.title}"


def build_status(neg: Negotiation) -> str:
    """The status note as Markdown, for the draft of the session as it stands."""
    draft = build_draft(neg)  # never the clean text: its status is what this note is for
    context = {
        "title": status_title(neg), "marking": MARKING, "round": neg.session.round,
        "kind": draft.preface.kind, "rows": draft.status, "open_count": draft.open_count(),
        "provision_count": len(draft.status), "placeholder": TO_BE_STATED,
        "to_be_stated": to_be_stated(neg),
    }
    text = environment().get_template("status.md.j2").render(**context)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return refuse_live_markup(text, "the status of the text")
