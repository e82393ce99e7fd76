"""python manage.py seed_bulk --cases N: a large practice for measuring, in bulk inserts.

At N = 100,000 it writes about a million and a half rows: clients, cases across every
state with their referrals, costings and lines, appointments, timeline events, case notes,
progress reports, notifications, and the audit trail and access log they would have left.
One case in a thousand has years of history (hundreds of notes and timeline entries), for
the benchmark's "case with a long history". The rows are plausible, not clinical stories:
seed_demo is for people, this is for the benchmark. Appointments never overlap for a
physiotherapist."""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role, User
from assessments.models import Appointment
from audit.models import AccessEntry, AuditEntry
from careplans.models import CarePlan, ProgressReport
from casemgmt.db import settle
from cases.models import Case, CaseNote, CaseState, Client, Risk, TimelineEvent
from cases.services import review_dates_refresh
from notifications.models import Notification
from referrals.models import Costing, CostingLine, Referral

S = CaseState
# A practice's spread of states: most cases are in treatment or finished.
STATES = ([S.IN_TREATMENT] * 30 + [S.CLOSED] * 25 + [S.DISCHARGED] * 5 + [S.UNDER_REVIEW] * 4
          + [S.ON_HOLD] * 4 + [S.ASSESSED] * 4 + [S.ASSESSMENT_SCHEDULED] * 5
          + [S.COSTING_APPROVED] * 4 + [S.COSTING_PROPOSED] * 5 + [S.REFERRED] * 6
          + [S.DECLINED] * 2 + [S.WITHDRAWN] * 3 + [S.DRAFT] * 3)
TREATED = {S.IN_TREATMENT, S.UNDER_REVIEW, S.ON_HOLD, S.DISCHARGED, S.CLOSED}
FIRST = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo",
         "Priya", "Mohammed", "Chloe", "Jack", "Grace", "Harry", "Zara", "Ethan", "Ruby", "Omar"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Khan", "Lewis", "Clarke", "Jackson", "Wood", "Harris", "Hughes", "Edwards"]
NOTES = ["Phone call with the client about progress.", "Email to the instructing solicitor.",
         "Liaised with the physiotherapist about attendance.", "Home visit.",
         "MDT meeting: goals reviewed.", "Letter to GP with the latest report."]
BATCH = 5000
LONG_EVERY = 1000  # one case in this many has a long history
LONG_NOTES = 400
RISK_EVERY = 8  # about one case in this many has a risk on its register


def national(i: int, firms: list) -> Organisation:
    """The first firm is the national one: three in five case managers, and so three in five
    clients and cases (a state's list of it runs past page 500 at 100,000 cases); the other
    firms share the rest."""
    return firms[0] if i % 5 < 3 else firms[1 + i % (len(firms) - 1)]


class Command(BaseCommand):
    help = "Bulk-load a large practice (about ten rows per case) for benchmarking."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, cases: int, seed: int, **options) -> None:
        rng = random.Random(seed)
        started = time.monotonic()
        with transaction.atomic():
            firms, providers, cms, pms, physios = self.people(cases)
            case_ids = self.cases(rng, cases, firms, providers, cms, physios)
            self.around(rng, case_ids, cms, physios, pms)
        settle()  # every case was written twice (its review dates): one dead row per case
        self.stdout.write(f"Seeded {cases} cases in {time.monotonic() - started:.0f} s.")

    def people(self, n: int):
        firms = [Organisation.objects.get_or_create(
            name=f"Bulk Case Management {i}", defaults={"kind": OrganisationKind.FIRM})[0]
            for i in range(max(2, n // 20000))]
        providers = [Organisation.objects.get_or_create(
            name=f"Bulk Physiotherapy {i}", defaults={"kind": OrganisationKind.PROVIDER})[0]
            for i in range(max(2, n // 10000))]

        def users(prefix, role, orgs, count, org_of=lambda i, orgs: orgs[i % len(orgs)]):
            made = []
            for i in range(count):
                org = org_of(i, orgs)
                user, created = User.objects.get_or_create(
                    username=f"{prefix}{i}", defaults={"role": role, "organisation": org,
                                                       "first_name": FIRST[i % 20],
                                                       "last_name": LAST[i % 26],
                                                       "email": f"{prefix}{i}@bulk.example"})
                if created:
                    user.set_password("casework-bench")
                    user.save(update_fields=["password"])
                made.append(user)
            return made

        cms = users("bulk-cm", Role.CASE_MANAGER, firms, max(4, n // 500), national)
        pms = users("bulk-pm", Role.PHYSIO_MANAGER, providers, len(providers))
        physios = users("bulk-physio", Role.PHYSIOTHERAPIST, providers, max(4, n // 250))
        return firms, providers, cms, pms, physios

    def cases(self, rng, n, firms, providers, cms, physios) -> list[tuple]:
        now = timezone.now()
        today = timezone.localdate()
        clients = []
        for i in range(int(n * 0.8)):
            cm = cms[i % len(cms)]
            clients.append(Client(
                firm_id=cm.organisation_id, given_name=rng.choice(FIRST),
                family_name=rng.choice(LAST), date_of_birth=dt.date(1940 + i % 60, 1 + i % 12,
                                                                    1 + i % 28),
                claim_reference=f"BULK-{i:07d}", postcode="LS1 1AA"))
        Client.objects.bulk_create(clients, batch_size=BATCH)
        rows, meta = [], []
        cms_by_firm: dict[int, list] = {}
        for cm in cms:
            cms_by_firm.setdefault(cm.organisation_id, []).append(cm)
        for i in range(n):
            client = clients[i % len(clients)]
            # Drawn, not taken by i's remainder: remainders that share a factor with the
            # states' cycle gave some people every case of one state and others none.
            cm = rng.choice(cms_by_firm[client.firm_id])
            physio = rng.choice(physios)
            state = STATES[i % len(STATES)]
            age = rng.randint(1, 720)
            created = now - dt.timedelta(days=age)
            referred = state != S.DRAFT
            assigned = state not in (S.DRAFT, S.REFERRED, S.DECLINED)
            due = today + dt.timedelta(days=rng.randint(-10, 28)) if state in (
                S.IN_TREATMENT, S.UNDER_REVIEW) else None
            case = Case(client_id=client.pk, firm_id=client.firm_id, case_manager_id=cm.pk,
                        provider_id=physio.organisation_id,
                        physiotherapist_id=physio.pk if assigned else None,
                        referred_at=created if referred else None, next_report_due=due,
                        report_interval_weeks=4 if state in TREATED else None,
                        created_at=created)
            case.__dict__["state"] = state  # bulk rows: the services are not replayed here
            rows.append(case)
            meta.append((state, created, cm.pk, physio.pk))
        Case.objects.bulk_create(rows, batch_size=BATCH)
        Case.objects.filter(pk__in=[c.pk for c in rows[:1]]).update(updated_at=now)
        return [(c.pk, *m) for c, m in zip(rows, meta, strict=True)]

    def around(self, rng, case_ids, cms, physios, pms) -> None:
        referrals, costings, events, notes, appointments, plans, risks = [], [], [], [], [], [], []
        slot: dict[int, int] = {}
        base = timezone.now() - dt.timedelta(days=730)
        for index, (pk, state, created, cm, physio) in enumerate(case_ids):
            referrals.append(Referral(case_id=pk, reason="Rehabilitation after an injury.",
                                      condition_category="musculoskeletal",
                                      diagnosis="Soft tissue injury", urgency="routine",
                                      preferred_setting="clinic",
                                      current_concerns="Pain and function",
                                      client_availability="Weekdays"))
            if state not in (S.DRAFT, S.REFERRED, S.DECLINED):
                costings.append(Costing(case_id=pk, purpose="assessment",
                                        status="approved" if state != S.COSTING_PROPOSED
                                        else "proposed", net_total=Decimal("300.00"),
                                        vat_total=Decimal("60.00"), gross_total=Decimal("360.00"),
                                        proposed_by_id=physio, proposed_at=created,
                                        authorisation_ref="BULK" if state != S.COSTING_PROPOSED
                                        else ""))
            for k, kind in enumerate(["case_created", "submit_referral", "propose_costing",
                                      "approve_costing"][:2 + (state in TREATED) * 2]):
                events.append(TimelineEvent(case_id=pk, actor_id=cm, kind=kind,
                                            summary=kind.replace("_", " ").capitalize(),
                                            created_at=created + dt.timedelta(days=k)))
            long_history = index % LONG_EVERY == 0
            for k in range(LONG_NOTES if long_history else rng.randint(1, 5)):
                notes.append(CaseNote(case_id=pk, author_id=cm, kind="phone",
                                      summary=rng.choice(NOTES), minutes=rng.randint(5, 60),
                                      occurred_at=created + dt.timedelta(hours=k * 3)))
            if long_history:
                events.extend(TimelineEvent(case_id=pk, actor_id=cm, kind="note_added",
                                            summary="Phone call noted (15 min)",
                                            created_at=created + dt.timedelta(hours=k * 3))
                              for k in range(LONG_NOTES))
            if rng.randrange(RISK_EVERY) == 0:
                risks.append(self.risk(rng, pk, state, cm))
            if state in TREATED:
                plans.append(CarePlan(case_id=pk, version=1, status="authorised",
                                      frequency="Weekly", number_of_sessions=6,
                                      review_date=created.date() + dt.timedelta(weeks=6),
                                      author_id=physio, authorised_at=created))
                for _ in range(2):
                    n = slot.get(physio, 0)
                    slot[physio] = n + 1
                    start = base + dt.timedelta(hours=n)
                    appointments.append(Appointment(
                        case_id=pk, physiotherapist_id=physio, kind="treatment", start=start,
                        end=start + dt.timedelta(minutes=45), setting="clinic",
                        outcome="attended", booked_by_id=physio))
        for model, rows in ((Referral, referrals), (Costing, costings), (TimelineEvent, events),
                            (CaseNote, notes), (Appointment, appointments), (CarePlan, plans),
                            (Risk, risks)):
            model.objects.bulk_create(rows, batch_size=BATCH)
        CostingLine.objects.bulk_create([
            CostingLine(costing_id=c.pk, kind="initial_assessment", description="Assessment",
                        quantity=Decimal(1), unit_price=Decimal("300.00")) for c in costings],
            batch_size=BATCH)
        reports = [ProgressReport(case_id=p.case_id, plan_id=p.pk,
                                  due_date=p.review_date, period_start=p.review_date,
                                  period_end=p.review_date, sessions_attended=2,
                                  summary="Steady progress against the goals.",
                                  author_id=p.author_id, submitted_at=p.authorised_at)
                   for i, p in enumerate(plans) if (i // 2) % 2 == 0]  # not one firm only
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        Notification.objects.bulk_create([
            Notification(recipient_id=cm, case_id=pk, kind="progress_report_submitted",
                         title="Progress report received", email_wanted=False)
            for pk, state, created, cm, physio in case_ids[::3]], batch_size=BATCH)
        self.trail(case_ids)
        self.budgets()
        review_dates_refresh(cases=Case.objects.all())  # as the services keep them

    @staticmethod
    def risk(rng, case_id: int, state: str, cm: int) -> Risk:
        """A risk on the register, open while the case is, reviewed within a few weeks."""
        return Risk(case_id=case_id, description="Falls risk on stairs at home.",
                    likelihood=rng.randint(1, 5), impact=rng.randint(1, 5),
                    mitigation="Rail fitted; reviewed at each visit.", owner_id=cm,
                    review_date=timezone.localdate() + dt.timedelta(days=rng.randint(-14, 42)),
                    is_open=state not in (S.CLOSED, S.WITHDRAWN, S.DECLINED), created_by_id=cm)

    def budgets(self) -> None:
        """Each case's session budget, counted once, as the services would have kept it."""
        from referrals.models import CaseBudget
        from referrals.selectors import with_session_budget

        counted = with_session_budget(Case.objects.filter(budget__isnull=True)).values_list(
            "pk", "sessions_authorised", "sessions_delivered")
        CaseBudget.objects.bulk_create(
            [CaseBudget(case_id=pk, sessions_authorised=a, sessions_delivered=d)
             for pk, a, d in counted.iterator(chunk_size=BATCH)], batch_size=BATCH)

    def trail(self, case_ids) -> None:
        """What the audit trail and the access log would hold: a creation and a change per
        case, and two looks at each, by its case manager."""
        # A batch of ids per query: PostgreSQL takes at most 65,535 values in one.
        client_of: dict[int, int] = {}
        for start in range(0, len(case_ids), BATCH):
            ids = [c[0] for c in case_ids[start:start + BATCH]]
            client_of.update(Case.objects.filter(pk__in=ids).values_list("pk", "client_id"))
        changes, looks = [], []
        for pk, state, created, cm, _physio in case_ids:
            client = client_of[pk]
            for action, diff in (("create", {"state": [None, "draft"]}),
                                 ("update", {"state": ["draft", state]})):
                changes.append(AuditEntry(at=created, actor_id=cm, actor_label=f"cm{cm}",
                                          action=action, model="cases.Case", object_id=str(pk),
                                          object_repr=f"CW-{pk:06d}", client_id=client,
                                          case_id=pk, changes=diff))
            for k in range(2):
                looks.append(AccessEntry(at=created + dt.timedelta(days=k), actor_id=cm,
                                         actor_label=f"cm{cm}", client_id=client, case_id=pk,
                                         view="case-detail", method="GET",
                                         path=f"/cases/{pk}/", status=200))
        AuditEntry.objects.bulk_create(changes, batch_size=BATCH)
        AccessEntry.objects.bulk_create(looks, batch_size=BATCH)
