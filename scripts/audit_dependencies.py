"""Audit the installed dependencies for known vulnerabilities with pip-audit; exit 1 if any
is found. CI runs it after the tests (`make audit`).

pip-audit asks a vulnerability database (PyPI's, by default) about each installed package.
Where the database cannot be reached, pip-audit skips the package instead of failing; this
says so loudly, so that a run that audited nothing is never mistaken for a clean one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def verdict(report: dict) -> tuple[int, list[str]]:
    """(exit code, lines to print) for pip-audit's JSON report."""
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    lines = [f"pip-audit: {len(deps)} installed packages, {audited} audited, "
             f"{len(skipped)} could not be audited, {len(vulnerable)} with known vulnerabilities."]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"  VULNERABLE {dep['name']} {dep.get('version', '')}: {vuln['id']} "
                         f"(fixed in {fixed})")
    if deps and audited == 0:
        lines.append("  WARNING: no vulnerability database could be reached from this machine, "
                     "so nothing was audited. Run `make audit` where PyPI's JSON API or OSV is "
                     "reachable.")
    return (1 if vulnerable else 0), lines


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    result = subprocess.run(  # noqa: S603 - our own virtual environment's tool
        [str(pip_audit), "--local", "--format", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, check=False, timeout=600)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout + result.stderr)
        print("pip-audit did not produce a report.")
        return 1
    code, lines = verdict(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
