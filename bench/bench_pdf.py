"""How long a negotiator waits for a PDF: per preset, for a long instrument, and
for the whole `linkwright render` process.

Prints figures; asserts nothing. Targets: under 1 s per preset in-process
(build_draft + write_pdf), under 3 s for a 150-article instrument.

    python -m bench.bench_pdf        (from the repository root)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from negotiation.drafting.builder import build_draft
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
    ValueNote,
)
from negotiation.drafting.typst_writer import write_pdf
from negotiation.session import load_preset

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ["eu-ch", "ca-qc", "ca-qc-on", "au-eu", "eu-uk", "eu-ch-uk"]
RUNS = 3
PRESET_TARGET_S = 1.0
LONG_TARGET_S = 3.0


def median_time(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def long_instrument(articles: int = 150) -> Draft:
    """A treaty of `articles` articles of three paragraphs each, with an option
    pair every tenth article and a disputed value every fifteenth."""
    text = ("Each Party shall ensure that the operators of installations covered by its "
            "system monitor and report their emissions in accordance with *Article {ref}*, "
            "and shall make the reports available to the Joint Committee within 4 months.")
    body, status = [], []
    for number in range(1, articles + 1):
        paragraphs = []
        for index in range(1, 4):
            provision = f"topic{number}.p{index}"
            source = Markdown(text.format(ref=(number % articles) + 1))
            if index == 2 and number % 10 == 0:
                paragraph = Paragraph(index, provision, "options", options=[
                    Option(1, source, (Supporter("the Union"),), "clause.a"),
                    Option(2, "The Parties shall agree on the matter later.",
                           (Supporter("Switzerland", proposed=True),), "proposed text")])
            elif index == 3 and number % 15 == 0:
                paragraph = Paragraph(index, provision, "disputed",
                                      text=Markdown("Notice shall be given [6][12] months ahead."),
                                      value_notes=[ValueNote("months", (
                                          ("6", ("the Union",)), ("12", ("Switzerland",))))])
            else:
                paragraph = Paragraph(index, provision, "agreed", text=source)
            paragraphs.append(paragraph)
            status.append(StatusRow(f"Article {number}({index})", provision,
                                    f"Provision {number}.{index}",
                                    "agreed" if paragraph.status == "agreed" else "open",
                                    "decided"))
        body.append(Article(number, f"topic{number}", f"Subject matter {number}", paragraphs))
    preface = Preface("Agreement on a long instrument", "Long Agreement", "Agreement",
                      "Agreement between the European Union and the Swiss Confederation",
                      "Draft — without prejudice", 4, None, ["the European Union",
                                                             "the Swiss Confederation"])
    table = Table(["Element", "the Union", "Switzerland", "Common rule"],
                  [[f"Element {i}", "mandatory", "mandatory", f"Article {i}(1)"]
                   for i in range(1, 25)])
    return Draft(
        form="treaty", linkage="bilateral", voice_word="Parties", preface=preface,
        status=status, preamble_intro="THE EUROPEAN UNION and THE SWISS CONFEDERATION,",
        recitals=[Markdown("Recognising the value of a linked market,")] * 6,
        enacting_formula="HAVE AGREED AS FOLLOWS:", body=body, conclusions_heading="Signatures",
        conclusions_intro="IN WITNESS WHEREOF, the undersigned have signed this Agreement.",
        signatures=[Signature("For the European Union"), Signature("For the Swiss Confederation")],
        attachments=[Annex("I", "Essential criteria", table=table)])


def whole_process(folder: Path) -> str:
    output = folder / "eu-ch.pdf"
    command = [sys.executable, "-m", "negotiation.cli", "render", "--preset", "eu-ch",
               "--format", "pdf", "-o", str(output), "--force"]
    probe = subprocess.run([sys.executable, "-m", "negotiation.cli", "render", "--help"],
                           capture_output=True, text=True, cwd=ROOT)
    if probe.returncode != 0:
        return "skipped: `linkwright render` is not available"
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            return f"failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}"
    return f"{statistics.median(times):.3f} s ({output.stat().st_size:,} bytes)"


def main() -> None:
    first = load_preset(PRESETS[0])
    cold = median_time(lambda: write_pdf(build_draft(first)), runs=1)
    print(f"first PDF of the process ({PRESETS[0]}, fonts loaded, nothing memoised): "
          f"{cold:.3f} s")
    print(f"in-process build_draft + write_pdf, median of {RUNS} (target < {PRESET_TARGET_S} s)")
    for preset in PRESETS:
        negotiation = load_preset(preset)
        seconds = median_time(lambda n=negotiation: write_pdf(build_draft(n)))
        size = len(write_pdf(build_draft(negotiation)))
        mark = "ok" if seconds < PRESET_TARGET_S else "SLOW"
        print(f"  {preset:<10} {seconds:6.3f} s  {size:>9,} bytes  {mark}")
    draft = long_instrument()
    seconds = median_time(lambda: write_pdf(draft))
    mark = "ok" if seconds < LONG_TARGET_S else "SLOW"
    print(f"  150 articles x 3 paragraphs (write_pdf) {seconds:6.3f} s  {mark} "
          f"(target < {LONG_TARGET_S} s)")
    with tempfile.TemporaryDirectory() as folder:
        print(f"whole process `python -m negotiation.cli render --preset eu-ch --format pdf`: "
              f"{whole_process(Path(folder))}")


if __name__ == "__main__":
    main()
