"""All checks of a negotiation: structural ones from the graph, and the
cross-system rules registered by topic. `run_checks` is the one entry point, and
the one place where the session's acknowledged findings are marked, so that the
CLI, the brief and the TUI count them alike."""

from __future__ import annotations

from negotiation.checks import registry
from negotiation.checks import rules_criteria as _criteria  # noqa: F401  (registers rules)
from negotiation.checks import rules_design as _design  # noqa: F401  (registers rules)
from negotiation.checks import rules_form as _form  # noqa: F401
from negotiation.checks import rules_integrity as _integrity  # noqa: F401
from negotiation.checks import rules_languages as _languages  # noqa: F401
from negotiation.checks import rules_library as _library  # noqa: F401
from negotiation.checks import rules_lint as _lint  # noqa: F401
from negotiation.checks import rules_premises as _premises  # noqa: F401
from negotiation.checks import rules_style as _style  # noqa: F401
from negotiation.checks import rules_values as _values  # noqa: F401
from negotiation.checks.acknowledged import apply_acknowledgements
from negotiation.checks.rules_premises import without_contradicted_fixes
from negotiation.checks.structural import structural_findings
from negotiation.findings import Finding, sort_findings
from negotiation.session import Negotiation


def run_checks(neg: Negotiation) -> list[Finding]:
    """Every finding for this negotiation, grouped by topic in treaty order."""
    findings = list(structural_findings(neg))
    for rule in registry.RULES.values():
        findings.extend(rule.check(neg))
    findings = without_contradicted_fixes(neg, findings)
    findings = apply_acknowledgements(neg, findings)
    order = {t.id: t.order for t in neg.library.topics.values()}
    return sort_findings(findings, order)


__all__ = ["registry", "run_checks"]
