"""Organisations (case management firms and therapy providers) and their users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac


class OrganisationKind(models.TextChoices):
    FIRM = "firm", "Case management firm"
    PROVIDER = "provider", "Therapy provider"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    logo = models.ImageField(upload_to="logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_firm(self) -> bool:
        return self.kind == OrganisationKind.FIRM

    @property
    def is_provider(self) -> bool:
        return self.kind == OrganisationKind.PROVIDER


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    PHYSIO_MANAGER = "physio_manager", "Physiotherapy manager"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"


# Which kind of organisation each role belongs to; checked by the database below.
ROLE_ORGANISATION_KIND = {
    Role.CASE_MANAGER: OrganisationKind.FIRM,
    Role.PHYSIO_MANAGER: OrganisationKind.PROVIDER,
    Role.PHYSIOTHERAPIST: OrganisationKind.PROVIDER,
}


class Specialism(models.TextChoices):
    """The condition categories of a referral, which are also what a clinician is expert in."""

    MUSCULOSKELETAL = "musculoskeletal", "Musculoskeletal"
    NEUROLOGICAL = "neurological", "Neurological"
    ORTHOPAEDIC_POST_SURGICAL = "orthopaedic_post_surgical", "Orthopaedic post-surgical"
    BRAIN_INJURY = "brain_injury", "Brain injury"
    SPINAL_CORD_INJURY = "spinal_cord_injury", "Spinal cord injury"
    AMPUTATION = "amputation", "Amputation"
    CHRONIC_PAIN = "chronic_pain", "Chronic pain"
    OTHER = "other", "Other"


class User(AbstractUser):
    """A person who signs in. Staff run the installation; everyone else has one role."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        db_index=False,  # an index in Meta starts with it
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    qualification = models.CharField(
        max_length=200, blank=True, help_text="As printed under the signature, e.g. BSc (Hons) MCSP."
    )
    professional_body = models.CharField(
        max_length=100, blank=True, help_text="e.g. HCPC, NMC, Social Work England."
    )
    registration_number = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    specialisms = models.JSONField(
        default=list,
        blank=True,
        help_text="For clinicians: the condition categories they have the expertise to treat.",
    )
    # Part of every session's check (below): raising it ends all of the user's sessions on
    # their next request, wherever the sessions are stored.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            # A user with a role belongs to an organisation; one without is staff.
            models.CheckConstraint(
                name="user_role_needs_organisation",
                condition=Q(role="") | Q(organisation__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    # What a name on a page reads (display_name, __str__): a list of entries by many people
    # fetches only these of each.
    NAME_FIELDS = ("username", "first_name", "last_name")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_of(first_name: str, last_name: str, username: str) -> str:
        """The name people read: the full name, or the username of someone without one."""
        return f"{first_name} {last_name}".strip() or username

    @property
    def signature(self) -> str:
        """Name, qualification and registration as a clinician signs a letter."""
        parts = [self.display_name]
        if self.qualification:
            parts.append(self.qualification)
        if self.professional_body and self.registration_number:
            parts.append(f"{self.professional_body} {self.registration_number}")
        return ", ".join(parts)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django's own hash covers the password; ours also covers the epoch.
        return salted_hmac("accounts.User.session_auth_hash", f"{self.password}:{self.session_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()

    def has_perm(self, perm: str, obj: object = None) -> bool:
        # Django lets an active superuser pass every check. Casework actions are not
        # granted wholesale: an administrator's few steps are in the action table too.
        if perm.startswith("casework."):
            return self.is_active and _user_has_perm(self, perm, obj)
        return super().has_perm(perm, obj)

    def has_specialism(self, specialism: str) -> bool:
        return not specialism or specialism in (self.specialisms or [])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.role and not self.organisation_id:
            raise ValidationError({"organisation": "A user with a role belongs to an organisation."})
        expected = ROLE_ORGANISATION_KIND.get(self.role)
        if expected and self.organisation and self.organisation.kind != expected:
            raise ValidationError(
                {"role": f"A {self.get_role_display().lower()} belongs to a {expected.label.lower()}."}
            )


class WebSession(AbstractBaseSession):
    """A browser's signed-in session (Django's session row), with the person it signs in
    as a column of its own. A request reads its session and its person in one query
    (casemgmt.sessions): each round trip to another process costs a page 0.5-1 ms on the
    project's machines, and the session had one of its own, from Redis. The column is what
    the session's data names (django.contrib.auth's `_auth_user_id`), written on each save;
    the data still decides who is signed in, and the person is checked as before."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="web_sessions")

    @classmethod
    def get_session_store_class(cls):
        from casemgmt.sessions import SessionStore

        return SessionStore
