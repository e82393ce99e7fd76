"""CI fails on a known vulnerability in the installed dependencies, and never passes off an
audit that could not reach a vulnerability database as a clean one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_a_known_vulnerability_fails_the_build():
    report = {"dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [
            {"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "description": "..."}]},
        {"name": "celery", "version": "5.5.0", "vulns": []},
    ], "fixes": []}
    code, lines = audit.verdict(report)
    assert code == 1
    assert any("VULNERABLE django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in line for line in lines)


def test_a_clean_audit_passes():
    code, _ = audit.verdict({"dependencies": [{"name": "celery", "version": "5.5.0",
                                               "vulns": []}]})
    assert code == 0


def test_an_audit_that_reached_no_database_says_so():
    code, lines = audit.verdict({"dependencies": [
        {"name": "celery", "skip_reason": "Dependency not found on PyPI"}]})
    assert code == 0
    assert any("nothing was audited" in line for line in lines)


def test_ci_runs_the_audit():
    ci = (SCRIPT.parents[1] / ".ci" / "run").read_text()
    assert "make audit" in ci
