"""The README's state diagram is the state machine in the code, edge for edge."""

from __future__ import annotations

import re
from pathlib import Path

from cases.models import CaseState
from cases.workflow import transitions_by_name

README = Path(__file__).resolve().parent.parent / "README.md"
EDGE = re.compile(r"^\s*(\w+)\s*-->\s*(\w+)\s*:\s*(\w+)\s*$")


def _diagram_edges() -> set[tuple[str, str, str]]:
    text = README.read_text()
    block = text.split("```mermaid", 1)[1].split("```", 1)[0]
    return {m.groups() for line in block.splitlines() if (m := EDGE.match(line))}


def test_readme_diagram_matches_the_state_machine():
    code_edges = {
        (tr.source, tr.target, name)
        for name, transitions in transitions_by_name().items()
        for tr in transitions
    }
    assert _diagram_edges() == code_edges


def test_readme_diagram_names_only_real_states():
    states = {s for edge in _diagram_edges() for s in edge[:2]}
    assert states == set(CaseState.values)


def test_readme_gives_the_two_command_quick_start():
    text = README.read_text()
    assert "make run" in text and "make test" in text
    for login in ("casemanager", "physiomanager", "physio", "casemanager2", "physiomanager2"):
        assert f"`{login}`" in text
