"""docs/extending.md, followed literally in a fresh folder, works.

Every fenced block of the guide is replayed in order in an empty folder: ``bash`` blocks are run
(environment variables exported by one block carry over to the next, as in one terminal), and
blocks whose first line is ``# file: PATH`` or ``# append to: PATH`` are written to that file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "extending.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
FILE_MARK = re.compile(r"^# (file|append to): (\S+)\n")


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(GUIDE.read_text(encoding="utf-8"))]


def test_the_guide_has_runnable_steps():
    kinds = [k for k, _ in blocks()]
    assert kinds.count("bash") >= 6
    marked = [FILE_MARK.match(text) for k, text in blocks() if k != "bash"]
    assert all(marked), "every non-shell block names the file it goes to"


def test_following_the_guide_literally_works(tmp_path):
    work = tmp_path / "fresh"
    work.mkdir()
    env_file = tmp_path / "env.sh"
    env = {k: v for k, v in os.environ.items() if k != "OKG_SECTOR_PATH"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env_file.write_text("", encoding="utf-8")
    reasoner = shutil.which("java") is not None
    outputs: dict[str, str] = {}
    for kind, text in blocks():
        mark = FILE_MARK.match(text)
        if mark:
            target = work / mark.group(2)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a" if mark.group(1) == "append to" else "w", encoding="utf-8") as f:
                f.write(text[mark.end() :])
            continue
        assert kind == "bash", f"unexpected block kind {kind}"
        if not reasoner:
            text = text.replace("sector check aerospace", "sector check aerospace --no-reasoner")
        script = (
            f"set -euo pipefail\nsource {shlex.quote(str(env_file))}\n{text}\n"
            f"export -p > {shlex.quote(str(env_file))}\n"
        )
        done = subprocess.run(
            ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"step failed:\n{text}\n{done.stdout}\n{done.stderr}"
        outputs[text] = done.stdout
    joined = "\n".join(outputs.values())
    assert "aerospace: ok" in joined
    assert "aero:machinedBy ⊑ okg:provider" in joined
    assert (
        "Atlas Aero Parts (fictional) works for Skyframe (fictional airframer): about 250 jobs"
    ) in joined
    assert "loaded aerospace-programme-illustrative" in joined
    assert (work / "aerospace.html").stat().st_size > 0
    impact = next(out for text, out in outputs.items() if text.startswith("okg impact"))
    assert "Atlas Aero Parts" in impact and "MA" in impact
