"""Findings a delegation accepts knowingly: the session's `acknowledged:` entries
applied to what the checks found.

An entry marks the warnings it matches (rule, topic and message, see
`session.Acknowledgement`) with its note: they stay visible, with the note, but no
longer count as open. An error stays open whatever an entry says, since an error is
text that would be false or unworkable, and the checks say that the entry was
ignored. An entry that matches nothing any more is reported as stale: what it was
about has changed (another value, another clause), so the finding, if any, is
open again and someone should look at it.
"""

from __future__ import annotations

from negotiation.findings import Finding
from negotiation.session import Acknowledgement, Negotiation

STALE = "acknowledged.stale"
IGNORED = "acknowledged.ignored"


def apply_acknowledgements(neg: Negotiation, findings: list[Finding]) -> list[Finding]:
    """`findings` with the acknowledged ones marked, followed by what the session's
    entries themselves call for (stale entries, entries that name an error)."""
    entries = neg.session.acknowledged
    if not entries:
        return findings
    used: set[int] = set()
    result: list[Finding] = []
    notices: list[Finding] = []
    for finding in findings:
        index = _matching(entries, finding)
        if index is None:
            result.append(finding)
            continue
        used.add(index)
        if finding.severity == "error":
            result.append(finding)
            notices.append(_ignored(entries[index], finding))
        else:
            result.append(finding.model_copy(update={"acknowledged": entries[index].note}))
    notices += [_stale(entry) for index, entry in enumerate(entries) if index not in used]
    return result + notices


def _matching(entries: list[Acknowledgement], finding: Finding) -> int | None:
    return next((index for index, entry in enumerate(entries)
                 if entry.matches(finding.rule, finding.topic, finding.message)), None)


def _ignored(entry: Acknowledgement, error: Finding) -> Finding:
    return Finding(
        rule=IGNORED, severity="info", topic=entry.topic,
        message=f"errors cannot be acknowledged: {entry.rule} stays open whatever the note "
                "says; resolve it, and remove the entry from `acknowledged:`",
        parties=error.parties, clauses=error.clauses)


def _stale(entry: Acknowledgement) -> Finding:
    return Finding(
        rule=STALE, severity="info", topic=entry.topic,
        message=f"what was acknowledged has changed: no {entry.rule} finding says "
                f"“{_clipped(entry.about)}” any more; look at the finding again, and "
                "update or remove the entry in `acknowledged:`")


def _clipped(text: str, limit: int = 120) -> str:
    """Enough of a long message to recognise it; the session file holds the rest."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
