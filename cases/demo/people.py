"""The demo organisations and their people. Every demo login uses DEMO_PASSWORD."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organisation, OrganisationKind, Role, Specialism, User

DEMO_PASSWORD = "casework-demo"  # noqa: S105 - a published demo password, documented in the README

FIRMS = [
    dict(name="Northern Rehab Case Management", address="3 Park Square East\nLeeds",
         postcode="LS1 2NE", phone="0113 496 0101", email="office@northern-rehab.example"),
    dict(name="Pennine Case Management", address="22 King Street\nManchester",
         postcode="M2 4LQ", phone="0161 496 0202", email="hello@pennine-cm.example"),
]
PROVIDERS = [
    dict(name="Active Recovery Physiotherapy", address="Unit 4, Kirkstall Works\nLeeds",
         postcode="LS5 3BT", phone="0113 496 0303", email="referrals@activerecovery.example"),
    dict(name="Moorland Neuro Physio", address="8 Albion Street\nHalifax",
         postcode="HX1 1DU", phone="01422 496 040", email="team@moorlandneuro.example"),
]

ALL = [s.value for s in Specialism]
USERS = [
    # username, first, last, role, organisation index (firms then providers), extras
    ("casemanager", "Helen", "Brooks", Role.CASE_MANAGER, ("firm", 0),
     dict(job_title="Senior case manager", qualification="RGN, BSc (Hons)",
          professional_body="NMC", registration_number="98Y1234E")),
    ("casemanager2", "Marcus", "Reid", Role.CASE_MANAGER, ("firm", 1),
     dict(job_title="Case manager", qualification="BSc (Hons) Occupational Therapy",
          professional_body="HCPC", registration_number="OT61234")),
    ("physiomanager", "Aisha", "Rahman", Role.PHYSIO_MANAGER, ("provider", 0),
     dict(job_title="Physiotherapy services manager", qualification="MSc Physiotherapy, MCSP",
          professional_body="HCPC", registration_number="PH77120")),
    ("physio", "Tom", "Whitaker", Role.PHYSIOTHERAPIST, ("provider", 0),
     dict(job_title="Senior physiotherapist", qualification="BSc (Hons) Physiotherapy, MCSP",
          professional_body="HCPC", registration_number="PH123456",
          specialisms=["musculoskeletal", "orthopaedic_post_surgical", "chronic_pain",
                       "amputation"])),
    ("physio.evans", "Grace", "Evans", Role.PHYSIOTHERAPIST, ("provider", 0),
     dict(job_title="Neurological physiotherapist", qualification="BSc (Hons) Physiotherapy",
          professional_body="HCPC", registration_number="PH204417",
          specialisms=["neurological", "brain_injury", "spinal_cord_injury"])),
    ("physiomanager2", "Daniel", "Okafor", Role.PHYSIO_MANAGER, ("provider", 1),
     dict(job_title="Clinical lead", qualification="BSc (Hons) Physiotherapy, MCSP",
          professional_body="HCPC", registration_number="PH55190")),
    ("physio2", "Sophie", "Lin", Role.PHYSIOTHERAPIST, ("provider", 1),
     dict(job_title="Physiotherapist", qualification="BSc (Hons) Physiotherapy",
          professional_body="HCPC", registration_number="PH310022", specialisms=ALL)),
]


@dataclass
class Cast:
    firms: list[Organisation]
    providers: list[Organisation]
    users: dict[str, User]


def ensure_people() -> Cast:
    """Create (or find) the organisations and users; safe to call again."""
    firms = [Organisation.objects.get_or_create(name=f["name"], defaults={
        **f, "kind": OrganisationKind.FIRM})[0] for f in FIRMS]
    providers = [Organisation.objects.get_or_create(name=p["name"], defaults={
        **p, "kind": OrganisationKind.PROVIDER})[0] for p in PROVIDERS]
    orgs = {"firm": firms, "provider": providers}
    users: dict[str, User] = {}
    for username, first, last, role, (kind, index), extras in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "role": role,
            "organisation": orgs[kind][index],
            "email": f"{username.replace('.', '-')}@{orgs[kind][index].email.split('@')[1]}",
            **extras})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    admin, created = User.objects.get_or_create(username="admin", defaults={
        "first_name": "Site", "last_name": "Administrator", "is_staff": True,
        "is_superuser": True, "email": "admin@casework.example"})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    users["admin"] = admin
    return Cast(firms, providers, users)
