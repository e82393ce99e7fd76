"""python manage.py bench: the project's benchmark.

Starts the app under gunicorn with two workers against the current database, drives it
over HTTP from this process, signed in as each role, and prints JSON: for each key page
its p50 and p95 latency, requests per second, SQL queries per request and its ratio to
/healthz measured in the same run; then the reminder scan and a six-page report."""

from __future__ import annotations

import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from casemgmt.db import settle
from cases.models import Case, CaseState
from reports.models import StoredReport

# Requests per page before timing: both workers' first use of each code path, and more than
# five runs on each worker's connection of each query it keeps a plan for (casemgmt.db:
# PostgreSQL settles on a kept plan after five); the workers take requests in turn, not
# strictly.
WARM_UP = 20
PASSWORD = "casework-bench"  # noqa: S105 - the bench users' own password, set below


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _same_stores() -> dict[str, str]:
    """The server's database and files are this command's, which are not the environment's
    when a test runs the command on its own test database."""
    stores = {"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        stores["DATABASE_URL"] = (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                                  f"{db['PORT'] or 5432}/{db['NAME']}")
    return stores


def _static_collected() -> bool:
    """Whether the collected files' manifest is newer than every file there is to collect:
    collecting again would change nothing, and takes half a minute (every file is hashed and
    compressed again, changed or not)."""
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected, listed = manifest.stat().st_mtime, json.loads(manifest.read_text()).get("paths", {})
    # A file moved or copied keeps its old time: it must be in the manifest too.
    return all(_collected_name(path, storage) in listed
               and os.path.getmtime(storage.path(path)) < collected
               for finder in finders.get_finders()
               for path, storage in finder.list(["CVS", ".*", "*~"]))  # as collectstatic


def _collected_name(path: str, storage: Any) -> str:
    prefix = getattr(storage, "prefix", None)
    return (os.path.join(prefix, path) if prefix else path).replace(os.sep, "/")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the key pages over HTTP under gunicorn, and the scan and reports."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=100,
                            help="timed requests per page (p95 of 100 is the fifth slowest)")
        parser.add_argument("--output", type=Path)
        parser.add_argument("--warm-up", type=int, default=WARM_UP,
                            help="untimed requests per page first (fewer only to check that "
                                 "the command runs: figures need the default)")

    def handle(self, *args, requests: int, output: Path | None, warm_up: int,
               **options) -> None:
        # As autovacuum would have left the tables (casemgmt.db.settle): an earlier run's
        # rolled-back writes must not be what this run measures. The statistics stay as they
        # are: sampled afresh, they could change a plan from one run to the next.
        settle(analyze=False)
        people = self.people()
        port = _free_port()
        server = self.start(port)
        try:
            result = self.drive(f"http://127.0.0.1:{port}", people, requests, warm_up)
        finally:
            server.terminate()
            server.wait(timeout=20)
        result.update(self.time_in_process())
        settle(analyze=False)  # the scan's and the report's rolled-back rows, left dead
        text = json.dumps(result, indent=2)
        if output:
            output.write_text(text + "\n")
        self.stdout.write(text)

    def people(self) -> dict[str, User]:
        """One busy person per role (most cases), and an administrator; all with PASSWORD.
        The case manager is of the firm with the most cases: theirs is the deepest case list."""
        chosen: dict[str, User] = {}
        biggest_firm = (Case.objects.values("firm_id").annotate(n=Count("pk")).order_by("-n")
                        .values_list("firm_id", flat=True).first())
        for role, field, scope in ((Role.CASE_MANAGER, "managed_cases",
                                    {"organisation_id": biggest_firm}),
                                   (Role.PHYSIOTHERAPIST, "physio_cases", {})):
            chosen[role] = User.objects.filter(role=role, **scope).annotate(
                n=Count(field)).order_by("-n").first()
        physio = chosen[Role.PHYSIOTHERAPIST]
        chosen[Role.PHYSIO_MANAGER] = User.objects.filter(
            role=Role.PHYSIO_MANAGER, organisation_id=physio.organisation_id).first()
        admin, _ = User.objects.get_or_create(username="bench-admin", defaults={
            "is_staff": True, "is_superuser": True})
        chosen["admin"] = admin
        for user in chosen.values():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            TOTPDevice.objects.get_or_create(user=user, confirmed=True,
                                             defaults={"name": "bench"})
        return chosen

    def code(self, user: User) -> str:
        """The current code of the user's authenticator, as the app would show it (the last
        code used is forgotten first: the bench signs people in within one 30 s step)."""
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    def start(self, port: int) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casemgmt.settings.local",
               "DEBUG": "false", "CASEWORK_BENCH": "1", **_same_stores()}
        # The server's static files manifest, collected with the server's own settings.
        if not _static_collected():
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=settings.BASE_DIR, env=env, check=True, timeout=300)
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "casemgmt.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "--access-logfile", "/dev/null"],
            cwd=settings.BASE_DIR, env=env)
        for _ in range(100):
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok:
                    return process
            except requests.RequestException:
                time.sleep(0.2)
        process.terminate()
        raise RuntimeError("gunicorn did not start")

    def login(self, base: str, user: User) -> requests.Session:
        """Sign in as a person does: the password, then the authenticator's code."""
        session = requests.Session()
        page = session.get(f"{base}/accounts/login/")
        session.post(f"{base}/accounts/login/", data={
            "username": user.username, "password": PASSWORD,
            "csrfmiddlewaretoken": self.csrf(page.text)},
            headers={"Referer": f"{base}/accounts/login/"})
        page = session.get(f"{base}/accounts/two-factor/")
        session.post(f"{base}/accounts/two-factor/", data={
            "code": self.code(user), "next": "/", "csrfmiddlewaretoken": self.csrf(page.text)},
            headers={"Referer": f"{base}/accounts/two-factor/"})
        if session.get(f"{base}/", allow_redirects=False).status_code != 200:
            raise RuntimeError(f"{user.username} could not sign in")
        return session

    @staticmethod
    def csrf(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def measure(self, probes: list[tuple], n: int, warm_up: int = WARM_UP) -> list[dict[str, Any]]:
        """Time `n` requests of each probe (session, method, url, data), interleaved: each
        round asks every probe once, in a shuffled order. A pause of the machine (a
        checkpoint, another process) then falls on every page alike, where timing each page
        in a block of its own put it on whichever page was running, and moved single p95s
        by a third between runs."""
        def ask(session, method, url, data):
            return session.request(method, url, data=data() if callable(data) else data,
                                   allow_redirects=False)

        for probe in probes:
            for _ in range(warm_up):
                ask(*probe)
        times: list[list[float]] = [[] for _ in probes]
        queries: list[list[int]] = [[] for _ in probes]
        order = list(range(len(probes)))
        # The same orders in every run, so that runs compare like with like.
        shuffler = random.Random(8)  # noqa: S311 - an order of requests, not a secret
        for _ in range(n):
            shuffler.shuffle(order)
            for i in order:
                started = time.perf_counter()
                response = ask(*probes[i])
                times[i].append((time.perf_counter() - started) * 1000)
                if response.status_code >= 400:
                    raise RuntimeError(f"{probes[i][2]} answered {response.status_code}")
                queries[i].append(int(response.headers.get("X-Query-Count", -1)))
        # Requests per second one at a time: the inverse of the mean latency.
        return [{"p50_ms": round(statistics.median(t), 2),
                 "p95_ms": round(_percentile(t, 0.95), 2),
                 "rps": round(1000 * len(t) / sum(t), 1), "queries": max(q)}
                for t, q in zip(times, queries, strict=True)]

    def drive(self, base: str, people: dict[str, User], n: int,
              warm_up: int = WARM_UP) -> dict[str, Any]:
        cm = people[Role.CASE_MANAGER]
        sessions = {key: self.login(base, user) for key, user in people.items()}
        long_case = (Case.objects.filter(case_manager=cm).annotate(n=Count("timeline"))
                     .order_by("-n").first())
        state = CaseState.IN_TREATMENT
        api = requests.Session()
        token = api.post(f"{base}/api/auth/token/", data={
            "username": cm.username, "password": PASSWORD, "otp": self.code(cm)}).json()["token"]
        api.headers["Authorization"] = f"Token {token}"
        sessions["api"] = api  # the API's pages are the case manager's, by token
        csrf = sessions[Role.CASE_MANAGER].cookies.get("csrftoken")
        deep_cursor, deep_page = self.cursor_at(cm, state, 500)
        pages = [
            ("dashboard", Role.CASE_MANAGER, "GET", "/", None),
            ("dashboard", Role.PHYSIO_MANAGER, "GET", "/", None),
            ("dashboard", Role.PHYSIOTHERAPIST, "GET", "/", None),
            ("client list", Role.CASE_MANAGER, "GET", "/clients/", None),
            ("client search", Role.CASE_MANAGER, "GET", "/clients/?q=smith", None),
            ("case list by state, page 1", Role.CASE_MANAGER, "GET",
             f"/cases/?state={state}&page=1", None),
            ("case list by state, page 500", Role.CASE_MANAGER, "GET",
             f"/cases/?state={state}&after={deep_cursor}", None),
            ("case with a long history", Role.CASE_MANAGER, "GET",
             f"/cases/{long_case.pk}/", None),
            ("its notes and timeline", Role.CASE_MANAGER, "GET",
             f"/cases/{long_case.pk}/history/", None),
            ("post a case note", Role.CASE_MANAGER, "POST", f"/cases/{long_case.pk}/notes/new/",
             lambda: {"csrfmiddlewaretoken": csrf, "kind": "phone", "summary": "Bench call.",
                      "minutes": "5", "occurred_at": time.strftime("%Y-%m-%dT%H:%M")}),
            ("admin case list", "admin", "GET", "/admin/cases/case/", None),
            ("report PDF", Role.CASE_MANAGER, "GET", f"/reports/{self.a_report(cm).pk}/", None),
            ("API case list", "api", "GET", "/api/cases/", None),
            ("API case detail", "api", "GET", f"/api/cases/{long_case.pk}/", None),
        ]
        for session in sessions.values():
            session.headers["Referer"] = base + "/"
        probes = [(requests.Session(), "GET", f"{base}/healthz", None)]  # anonymous
        probes += [(sessions[who], method, base + path, data)
                   for _, who, method, path, data in pages]
        baseline, *measured = self.measure(probes, n, warm_up)
        baseline = {"name": "healthz", **baseline}
        baseline.pop("queries")
        results = []
        for (name, who, *_), row in zip(pages, measured, strict=True):
            role = Role.CASE_MANAGER if who == "api" else who
            row = {"name": name, "role": str(role), **row,
                   "ratio_p95": round(row["p95_ms"] / baseline["p95_ms"], 2)}
            if name == "case list by state, page 500":
                row["page"] = deep_page  # 500, or the last full page of a smaller practice
            results.append(row)
        return {"cases": Case.objects.count(), "baseline": baseline, "pages": results}

    def a_report(self, cm: User) -> StoredReport:
        """A stored report of a case of the case manager's firm, rendered now if there is none
        (bulk data has progress reports but no files)."""
        from careplans.models import ProgressReport
        from reports.services import report_render

        report = StoredReport.objects.filter(case__firm_id=cm.organisation_id).first()
        if report is None:
            progress = ProgressReport.objects.filter(
                case__firm_id=cm.organisation_id).select_related("case").first()
            report = report_render(case=progress.case, kind="progress", source_id=progress.pk)
        return report

    def cursor_at(self, user: User, state: str, page: int) -> tuple[str, int]:
        """The keyset cursor that opens page `page` of the case list (found once, here), or
        the last full page if there are fewer: never the empty page past the end, which
        costs nothing to show. Returns the cursor and the page it opens."""
        from cases.paging import keyset_cursor
        from cases.selectors import case_list_for
        from cases.views.pages import PAGE_SIZE

        cases = case_list_for(user).filter(state=state).order_by("-updated_at", "-pk")
        page = max(1, min(page, cases.count() // PAGE_SIZE))
        if page == 1:
            return "", 1
        return quote(keyset_cursor(cases[(page - 1) * PAGE_SIZE - 1])), page

    def time_in_process(self) -> dict[str, Any]:
        """The scan, the report and queuing a task, timed in this process as a worker runs
        them: with DEBUG off, as the server's is. With it on (the local settings' default)
        Django logs each query's SQL with its values written in: a tenth of the scan at
        10,000 cases, a quarter at 100,000."""
        with override_settings(DEBUG=False):
            scan_s, backlog = self.time_scan()
            return {"reminder_scan_s": scan_s, "reminder_backlog": backlog,
                    **self.time_report(), "task_queue_ms": self.time_queue()}

    def time_scan(self) -> tuple[float, dict[str, Any]]:
        """The scheduled scan as it runs every few minutes (everything due already sent),
        and the first scan of the backlog a fresh bulk load leaves. Rolled back after."""
        from notifications.reminders import scan

        with transaction.atomic():
            started = time.perf_counter()
            sent = scan()
            backlog = {"seconds": round(time.perf_counter() - started, 3),
                       "sent": sum(sent.values())}
            started = time.perf_counter()
            scan()
            steady = round(time.perf_counter() - started, 3)
            transaction.set_rollback(True)  # measure, leave the data as it was
        return steady, backlog

    def time_report(self) -> dict[str, Any]:
        """A six-page assessment report: the HTML of a demo case built and rolled back here,
        rendered to PDF in a process of its own so that its peak memory is its own. The first
        rendering loads the fonts; the second is what a running worker does."""
        from cases.demo.builder import Builder
        from cases.demo.people import ensure_people
        from cases.demo.scenarios import SCENARIOS
        from reports.services import report_html

        with transaction.atomic():
            builder = Builder(ensure_people())
            scenario = next(s for s in SCENARIOS if s.key == "complex")
            scenario.client = {**scenario.client, "claim_reference": "BENCH-REPORT"}
            case = builder.build(scenario)
            assessment = case.assessment
            # Long enough a history for six pages of A4 (checked in the child: "pages").
            assessment.condition_history = "\n".join([assessment.condition_history] * 56)
            assessment.save(update_fields=["condition_history"])
            html = report_html(case=case, kind="assessment", source_id=assessment.pk)
            transaction.set_rollback(True)
        with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
            handle.write(html)
        try:
            child = subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", RENDER_IN_A_PROCESS, handle.name], cwd=settings.BASE_DIR,
                capture_output=True, text=True, timeout=300, check=True,
                env={**os.environ, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": os.environ.get(
                    "DJANGO_SETTINGS_MODULE", "casemgmt.settings.local")})
        finally:
            os.unlink(handle.name)
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        per_page = measured["warm_s"] / max(measured["pages"], 1)
        return {"report_6_pages_s": round(per_page * 6, 3),
                "report_first_render_s": round(measured["cold_s"], 3),
                "report_pages": measured["pages"],
                "report_peak_mb": round(measured["peak_mb"], 1)}

    def time_queue(self, n: int = 200) -> dict[str, Any] | None:
        """Publishing a task as a request does after commit: to the broker, and back. The
        tasks go to a queue of their own that nobody works, emptied afterwards."""
        from casemgmt.celery import app

        if settings.CELERY_TASK_ALWAYS_EAGER:
            return None
        queue = "casework-bench"
        for _ in range(10):  # the connection and the producer pool, as in a warm web worker
            app.send_task("casework.bench.noop", queue=queue)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            app.send_task("casework.bench.noop", queue=queue)
            times.append((time.perf_counter() - started) * 1000)
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
        return {"p50_ms": round(statistics.median(times), 3),
                "p95_ms": round(_percentile(times, 0.95), 3)}


# Run in a child process by time_report: the PDF rendering alone, its time and peak memory.
RENDER_IN_A_PROCESS = """
import io, json, resource, sys, time
import django
django.setup()
from pypdf import PdfReader
from reports.services import render_pdf
html = open(sys.argv[1]).read()
started = time.perf_counter(); render_pdf(html); cold = time.perf_counter() - started
started = time.perf_counter(); pdf = render_pdf(html); warm = time.perf_counter() - started
pages = len(PdfReader(io.BytesIO(pdf)).pages)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cold_s": cold, "warm_s": warm, "pages": pages, "peak_mb": peak}))
"""
