"""A PDF from Linkwright against pandoc's, for the same EU–Switzerland session.

Prints figures; asserts nothing. Target (issue 11): the whole process
`linkwright render SESSION -o x.pdf` at least 3x faster than
`pandoc --pdf-engine=pdflatex` on Linkwright's own Markdown of the same session.

The two are measured alternately in one run (ROUNDS rounds), so that whatever else
the machine is doing weighs on both alike; each figure is the median with its range.
Without pandoc or pdflatex (Debian: pandoc, texlive-latex-base,
texlive-latex-recommended, texlive-fonts-recommended, lmodern) it says so and exits 0.

    python bench/bench_pandoc.py [ROUNDS]

Linkwright runs as a user's installation would: with its byte code cached (in a
private folder, never beside the sources) and its per-user cache warm.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 10
TARGET = 3.0


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def figure(times: list[float]) -> str:
    return (f"median {statistics.median(times):.2f} s "
            f"(range {min(times):.2f}–{max(times):.2f})")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    missing = [tool for tool in ("pandoc", "pdflatex") if shutil.which(tool) is None]
    if missing:
        print(f"skipped: {' and '.join(missing)} not installed (Debian: apt-get install "
              "pandoc texlive-latex-base texlive-latex-recommended "
              "texlive-fonts-recommended lmodern)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # What the `linkwright` console script runs (not `-m`, which loads the CLI twice).
        linkwright = [sys.executable, "-c",
                      "import sys; from negotiation.cli import main; sys.exit(main())"]
        session = folder / "eu-ch.yaml"
        subprocess.run([*linkwright, "new", "--preset", "eu-ch", "-o", str(session)],
                       env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        markdown = folder / "eu-ch.md"
        subprocess.run([*linkwright, "render", str(session), "-o", str(markdown)], env=env,
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        ours = [*linkwright, "render", str(session), "-o", str(folder / "ours.pdf"), "--force"]
        theirs = ["pandoc", str(markdown), "-o", str(folder / "pandoc.pdf"),
                  "--pdf-engine=pdflatex"]
        source = folder / "eu-ch.typ"
        source.write_text(_typst_source(session), encoding="utf-8")
        floor = [sys.executable, "-c", FLOOR, str(source)]
        timed(ours, env, ROOT)  # byte code, caches and the disk warmed for both
        timed(theirs, env, folder)
        timed(floor, env, ROOT)
        linkwright_times, pandoc_times, floor_times = [], [], []
        for _ in range(rounds):
            linkwright_times.append(timed(ours, env, ROOT))
            pandoc_times.append(timed(theirs, env, folder))
            floor_times.append(timed(floor, env, ROOT))
    ratio = statistics.median(pandoc_times) / statistics.median(linkwright_times)
    load = os.getloadavg()[0]
    print(f"`linkwright render eu-ch.yaml -o x.pdf`:        {figure(linkwright_times)}")
    print(f"`pandoc eu-ch.md --pdf-engine=pdflatex`:      {figure(pandoc_times)}")
    print(f"Linkwright is {ratio:.1f}x faster (target at least {TARGET:.0f}x: "
          f"{'ok' if ratio >= TARGET else 'UNDER TARGET'}); {rounds} rounds, alternating; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    needed = statistics.median(floor_times)
    print(f"  of which no render can be without: {figure(floor_times)}, to start Python, "
          "import PyYAML, Jinja2's sandbox and Typst, validate one pydantic model, and typeset the "
          f"same Typst source; 3x pandoc leaves "
          f"{statistics.median(pandoc_times) / TARGET - needed:.2f} s "
          "for the rest")
    return 0


FLOOR = ("import sys, yaml, jinja2.sandbox, typst\nfrom pydantic import BaseModel\n"
         "class Session(BaseModel):\n    title: str\nSession(title='eu-ch')\n"
         "typst.compile(open(sys.argv[1], 'rb').read(), ignore_system_fonts=True)")
"""What a render cannot do without: the libraries `check` needs, and Typst typesetting
the instrument (here from the file the bench wrote, with the bundled fonts)."""


def _typst_source(session: Path) -> str:
    from negotiation.drafting.builder import build_draft
    from negotiation.drafting.typst_writer import write_typst
    from negotiation.session import load_session

    return write_typst(build_draft(load_session(session)))


if __name__ == "__main__":
    sys.exit(main())
