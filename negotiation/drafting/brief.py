"""The negotiator's brief: everything behind the draft, for one's own side.

For each provision: the choice, the options not taken, guidance and
precedents, each party's position, and the findings still open with their
remedies; the systems side by side; the conditions; the economics when the
parties' profiles carry them. It is internal and marked so: the instrument
never includes any of it.
"""

from __future__ import annotations

import re
from typing import Any

from negotiation.drafting.criteria import essential_criteria_table
from negotiation.drafting.markdown import environment, refuse_live_markup
from negotiation.findings import Finding, counts
from negotiation.session import ClauseChoice, Negotiation, ProposedText
from negotiation.templating import Unconfirmed, _format_date, join_words, plain_value


def _precedents(clause: Any) -> list[str]:
    return [f"{p.source}" + (f", {p.where}" if p.where else "")
            + ("" if p.verified else " (not verified)") for p in clause.precedent]


def _position_text(neg: Negotiation, party: str, position: Any) -> str:
    who = neg.party_short(party)
    if isinstance(position, ProposedText):
        return f"{who}: its own text: “{position.text.strip()}”"
    assert isinstance(position, ClauseChoice)
    clause = neg.library.clauses[position.clause]
    values = ", ".join(f"{k} {plain_value(v)}" for k, v in position.params.items())
    return f"{who}: {clause.title}" + (f" ({values})" if values else "")


def _provision(neg: Negotiation, provision: Any) -> dict[str, Any]:
    chosen = neg.chosen().get(provision.id)
    fitting = neg.library.fitting_clauses(provision.id, neg.form, neg.linkage)
    if chosen:
        clause, values = chosen
        choice = clause.title + ("" if neg.decision(provision.id) else " (every party's position)")
        # A value nobody confirmed reads as the draft shows it, bracketed, and says so.
        pending = neg.unconfirmed().get(provision.id, [])
        params = [(clause.params[k].label or k,
                   f"{plain_value(Unconfirmed(v))} (not confirmed)" if k in pending
                   else plain_value(v))
                  for k, v in values.items() if v is not None or k in pending]
        guidance = " ".join(x.strip() for x in (provision.guidance, clause.guidance) if x)
        precedents = _precedents(clause)
        not_taken = [f"{c.title} ({c.id})" for c in fitting if c.id != clause.id]
    else:
        choice = "open"
        params = []
        guidance = provision.guidance.strip()
        precedents = [p for c in fitting for p in _precedents(c)]
        not_taken = [f"{c.title} ({c.id})" for c in fitting]
    positions = [_position_text(neg, party, position)
                 for party, position in neg.positions_on(provision.id).items()]
    return {"id": provision.id, "title": provision.title, "choice": choice, "params": params,
            "guidance": guidance, "precedents": precedents, "not_taken": not_taken,
            "positions": positions}


def _unverified(neg: Negotiation) -> list[str]:
    lines = []
    for party in neg.party_ids:
        for name, source in sorted(neg.systems[party].sources.items()):
            if not source.verified:
                lines.append(f"{neg.party_short(party)}, {name}: {source.note}")
    return lines


def _versions(neg: Negotiation) -> str:
    """Which authentic versions Linkwright renders and which translators must make."""
    from negotiation.checks.rules_languages import rendered_languages, translators_languages
    from negotiation.languages import language_name

    if not neg.session.languages:
        return ""
    ours = ["English", *dict.fromkeys(language_name(c) for c in rendered_languages(neg))]
    theirs = list(dict.fromkeys(language_name(c) for c in translators_languages(neg)))
    text = (f"The {join_words(ours)} versions are rendered by Linkwright "
            f"(`render --language`), from the library's texts in those languages.")
    if theirs:
        text += (f" The {join_words(theirs)} versions are not in the library: translators "
                 "make them from the English, and they are checked against it before "
                 "signature.")
    return text


def build_brief(neg: Negotiation, findings: list[Finding],
                economics_markdown: str | None = None) -> str:
    """The brief as Markdown."""
    if economics_markdown is None:
        economics_markdown = _economics(neg)
    by_topic: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.is_open:  # acknowledged ones have their own section
            by_topic.setdefault(finding.topic, []).append(finding)
    provisions: dict[str, list[Any]] = {}
    for provision in neg.relevant_provisions():
        provisions.setdefault(provision.topic, []).append(provision)
    topics = []
    for topic in neg.library.ordered_topics():
        if topic.id not in provisions and topic.id not in by_topic:
            continue
        topics.append({"title": topic.title, "guidance": topic.guidance.strip(),
                       "provisions": [_provision(neg, p) for p in provisions.get(topic.id, [])],
                       "findings": by_topic.get(topic.id, [])})
    chosen = neg.chosen()
    relevant = neg.relevant_provisions()
    conditions = [f"{neg.party_short(c.party)}: {c.what}"
                  + (f", by {_format_date(c.by)}" if c.by else "")
                  for c in neg.session.conditions]
    refs = {p.id: p.id for p in relevant}
    context = {
        "title": neg.session.short_title or neg.session.title,
        "round": neg.session.round, "kind": neg.form.capitalize(), "linkage": neg.linkage,
        "parties": [neg.party_name(p) for p in neg.party_ids], "year": neg.session.year,
        "counts": counts(findings), "open_count": sum(1 for p in relevant if p.id not in chosen),
        "provision_count": len(relevant), "notes": neg.session.notes.strip(),
        "systems": essential_criteria_table(neg, refs), "unverified": _unverified(neg),
        "conditions": conditions, "economics": economics_markdown, "topics": topics,
        "acknowledged": _acknowledged(neg, findings),
        "hypothetical": neg.session.hypothetical,
        "economics_years": _economics_years(neg),
        "since": _since_last_round(neg),
        "versions": _versions(neg),
    }
    text = environment().get_template("brief.md.j2").render(**context)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return refuse_live_markup(text, "the negotiator's brief")


def _since_last_round(neg: Negotiation) -> dict[str, Any] | None:
    """What changed since the round the session names as `previous:`, in plain lines
    (the negotiation's changes; the text's own are for `linkwright compare`); None
    when it names none. A previous round that cannot be read is said, not fatal:
    the brief is still wanted for the round at hand."""
    if neg.session.previous is None:
        return None
    from negotiation.compare import compare, side_of
    from negotiation.drafting.compare_markdown import change_line
    from negotiation.errors import LinkwrightError
    from negotiation.rounds import previous_side

    try:
        previous = previous_side(neg)
    except LinkwrightError as error:
        return {"label": neg.session.previous, "lines": [], "problem": str(error)}
    assert previous is not None
    comparison = compare(previous, side_of(neg, "this round"))
    lines = [change_line(c, comparison) for c in comparison.changes
             if not c.kind.startswith("text-") and c.kind != "moved"]
    texts = sum(1 for c in comparison.changes if c.kind.startswith("text-"))
    moved = sum(1 for c in comparison.changes if c.kind == "moved")
    return {"label": previous.label, "lines": lines, "problem": None, "texts": texts,
            "moved": moved}


def _acknowledged(neg: Negotiation, findings: list[Finding]) -> list[dict[str, str]]:
    """The warnings the session accepts knowingly, each with the note saying why."""
    return [{"rule": f.rule, "message": f.message, "note": f.acknowledged,
             "topic": (topic.title if (topic := neg.library.topics.get(f.topic)) else f.topic)}
            for f in findings if f.acknowledged is not None]


def _economics_years(neg: Negotiation) -> list[str]:
    """The years the parties' economics calibrations describe, where they are not the
    year the session's figures describe: said on the cover, so that figures of another
    year never pass for the session's own."""
    years = {str(block["year"]) for pid in neg.party_ids
             if isinstance(block := neg.systems[pid].profile.economics, dict)
             and block.get("year") is not None}
    return sorted(years - {str(neg.session.year)}) if neg.session.year else []


def _economics(neg: Negotiation) -> str | None:
    """The economics section, when the economics module can compute it."""
    try:
        from negotiation.economics.session import economics_markdown
    except ImportError:
        return None
    return economics_markdown(neg)
