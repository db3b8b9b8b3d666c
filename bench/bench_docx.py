"""How long a DOCX takes: every preset, and a generated 150-article draft.

Prints figures (median of 3 runs, in-process): per preset, `build_draft`
plus `write_docx` (loading the preset is not counted); then a programmatic
draft of 150 articles x 3 paragraphs with a few bracketed options, which is
larger than any real linking instrument. Targets: under 1 s per preset,
under 3 s for 150 articles.

    python bench/bench_docx.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from negotiation.drafting.builder import build_draft
from negotiation.drafting.docx_writer import write_docx
from negotiation.drafting.model import (
    Annex,
    Article,
    Draft,
    Markdown,
    Option,
    Paragraph,
    Preface,
    Signature,
    StatusRow,
    Supporter,
    Table,
)
from negotiation.session import load_preset

PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
RUNS = 3
CLAUSE = ("Each Party shall ensure that its competent authority cooperates with the "
          "competent authorities of the other Parties, in accordance with *Article {ref}*, "
          "on the **monitoring**, reporting and verification of emissions, and shall "
          "notify the Joint Committee of any change to its rules within 3 months.")


def median_seconds(work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def generated_draft(articles: int = 150, paragraphs: int = 3) -> Draft:
    """A large treaty built from the model alone: options every 10th article."""
    parties = ["the European Union", "the Swiss Confederation", "the United Kingdom"]
    body, status = [], []
    for number in range(1, articles + 1):
        article = Article(number, f"topic{number}", f"Topic number {number}")
        for index in range(1, paragraphs + 1):
            provision = f"topic{number}.p{index}"
            if number % 10 == 0 and index == 1:
                options = [
                    Option(1, Markdown(CLAUSE.format(ref=max(1, number - 1))),
                           (Supporter("EU"), Supporter("Switzerland")), "clause.a"),
                    Option(2, "Our own text for this provision, shown literally.",
                           (Supporter("UK", proposed=True),), "proposed text"),
                ]
                paragraph = Paragraph(index, provision, "options", options=options)
                status.append(StatusRow(f"Article {number}({index})", provision,
                                        "Provision", "open", "2 options"))
            else:
                paragraph = Paragraph(index, provision, "agreed",
                                      text=Markdown(CLAUSE.format(ref=number)))
            article.paragraphs.append(paragraph)
        body.append(article)
    table = Table(["Element", "EU", "Switzerland", "UK", "Common rule"],
                  [[f"Element {i}", "yes", "no", "—", f"Article {i}(1)"] for i in range(25)])
    return Draft(
        form="treaty", linkage="multilateral", voice_word="Parties",
        preface=Preface("A generated agreement of 150 articles", "Generated", "Agreement",
                        "Agreement between the generated parties",
                        "Draft — without prejudice", 1, dt.date(2024, 1, 15), parties),
        status=status,
        preamble_intro="THE PARTIES, hereinafter “the Parties”,",
        recitals=[Markdown("Recognising that linking lowers the cost of meeting caps,")] * 5,
        enacting_formula="HAVE AGREED AS FOLLOWS:", body=body,
        conclusions_heading="Signatures",
        conclusions_intro="IN WITNESS WHEREOF, the undersigned have signed this Agreement.",
        signatures=[Signature(f"For {p}") for p in parties],
        attachments=[Annex("I", "Essential criteria", table=table)],
    )


def main() -> None:
    print(f"DOCX writer, median of {RUNS} runs, in-process")
    print(f"  {'draft':<28} {'build+write':>11} {'write only':>11} {'size':>8}")
    write_docx(build_draft(load_preset(PRESETS[0])))  # warm imports and caches
    for preset in PRESETS:
        neg = load_preset(preset)
        total, data = median_seconds(lambda neg=neg: write_docx(build_draft(neg)))
        draft = build_draft(neg)
        write, _ = median_seconds(lambda draft=draft: write_docx(draft))
        assert isinstance(data, bytes)
        flag = "" if total < 1.0 else "  over the 1 s target"
        print(f"  {preset:<28} {total * 1000:8.0f} ms {write * 1000:8.0f} ms "
              f"{len(data) / 1024:5.0f} KiB{flag}")
    draft = generated_draft()
    write, data = median_seconds(lambda: write_docx(draft))
    assert isinstance(data, bytes)
    flag = "" if write < 3.0 else "  over the 3 s target"
    print(f"  {'generated: 150 articles x 3':<28} {'—':>11} {write * 1000:8.0f} ms "
          f"{len(data) / 1024:5.0f} KiB{flag}")


if __name__ == "__main__":
    main()
