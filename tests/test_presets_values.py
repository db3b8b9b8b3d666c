"""The presets say their figures: every value their drafts print is written in the
session (a decision or the parties' positions) or is every party's own figure, never
a library default nobody agreed; and where a preset models a real agreement, the
figures are the agreement's."""

from __future__ import annotations

import pytest

from negotiation.session import load_preset, preset_ids


@pytest.mark.parametrize("preset", preset_ids())
def test_a_preset_relies_on_no_library_default(preset):
    assert load_preset(preset).unconfirmed() == {}


def test_eu_switzerland_states_the_agreements_dispute_and_termination_terms():
    neg = load_preset("eu-ch")
    disputes = neg.decision("disputes.procedure")
    assert disputes.params == {"months": 6, "forum": "the Permanent Court of Arbitration, "
                               "in accordance with its Arbitration Rules 2012"}
    termination = neg.decision("termination.notice")
    assert termination.params == {"months": 6, "automatic": True}


@pytest.mark.parametrize("preset", ["ca-qc", "ca-qc-on"])
def test_california_quebec_reserve_price_rises_by_five_per_cent_plus_inflation(preset):
    params = load_preset(preset).decision("price_floor.rule").params
    assert (params["escalation_pct"], params["plus_inflation"]) == (5, True)
