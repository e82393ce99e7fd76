"""XSS and SSRF payloads, one per free-text field, and the tools that say whether they came
out inert: in HTML (nothing parsed as markup that could run or fetch), in JSON (kept as typed)
and in PDF (printed as characters, nothing fetched, nothing attached).

Every payload carries a marker of its own (`zq_001`...), so that wherever it turns up one
can say which field it came from. The marker holds an underscore on purpose: CSRF tokens,
session keys and hashes are letters and digits only, so a marker never turns up by chance.
"""

from __future__ import annotations

import itertools
import re
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape as html_escape
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlsplit

from django.db import models

from privacy.records import RECORDS
from reports.fetcher import APP_ORIGIN, AppOnlyFetcher

# --- the payloads ---------------------------------------------------------------------------

# What an attacker would type, by kind. `{m}` is where the field's marker goes: inside the
# URL or the script, so that a tag made from the payload would carry it.
KINDS: dict[str, str] = {
    "script": "<script>alert('{m}')</script>",
    "img-file": "<img src=file:///etc/passwd?{m}>",
    "img-onerror": "<img src=x onerror=alert('{m}')>",
    "css-import": "<style>@import url(http://169.254.169.254/latest/meta-data/{m});</style>",
    "css-url": '<div style="background:url(http://169.254.169.254/latest/meta-data/{m})">x</div>',
    "svg-image": '<svg><image href="file:///etc/passwd#{m}"/></svg>',
    "link-attachment": '<link rel=attachment href="file:///etc/passwd?{m}">',
    "javascript-href": "<a href=\"javascript:alert('{m}')\">x</a>",
    "metadata-url": "http://169.254.169.254/latest/meta-data/iam/{m}",
    "iframe-metadata": "<iframe src=http://metadata.google.internal/computeMetadata/v1/{m}></iframe>",
    "attribute-breakout": "\"><script>alert('{m}')</script>",
    "template": "{{ 7*7 }}{% debug %}{m}",
    "htmx": '<div hx-get="http://169.254.169.254/{m}" hx-trigger="load">x</div>',
    # For fields of ten characters (the postcode): still a tag if it were parsed as one.
    "short": "<b>{m}",
}
# An email address may hold markup in a quoted local part, and Django's validator accepts it.
EMAIL_KINDS: dict[str, str] = {
    "email-script": "\"<script>alert('{m}')</script>\"@example.org",
    "email-onerror": "\"<img/src=x/onerror=alert('{m}')>\"@example.org",
}
MARKER = re.compile(r"zq_\d{3}")


# --- every free-text field of the client's records, from the models -------------------------


def free_text_fields() -> list[tuple[str, str]]:
    """(model label, field name) of every CharField and TextField without choices of every
    record that holds client data. EmailField is a CharField, so it is in; a FileField is
    not (file paths are made by the application) and neither is a JSONField."""
    return sorted(
        (record.label, f.name)
        for record in RECORDS
        for f in record.model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    )


# Fields that cannot, or need not, take a payload; each says why. A test checks that each is
# still a free-text field, so this list cannot hide a field that no longer exists.
SKIPPED: dict[tuple[str, str], str] = {
    ("cases.Client", "nhs_number"):
        "validated: ten digits with a modulus 11 check digit, refused otherwise",
    ("cases.TimelineEvent", "kind"): "written by the services: the name of the step",
    ("cases.TimelineEvent", "summary"):
        "written by the services, never taken from input; it quotes other fields (a hold "
        "reason, a document title, a review reason), so their payloads are checked in it",
    ("referrals.Costing", "currency"): "set from settings (GBP), never taken from input",
    ("reports.StoredReport", "sha256"): "the PDF's digest, computed",
    ("reports.StoredReport", "template_version"): "the templates' digest, computed",
    ("notifications.Notification", "kind"): "written by the services: the event's name",
    ("notifications.Notification", "title"):
        "made from the case reference only (no clinical detail travels by email)",
    ("notifications.Reminder", "due_key"): "a due date or record id, computed",
}


def _field(label: str, name: str) -> models.Field:
    from django.apps import apps

    return apps.get_model(label)._meta.get_field(name)


def _assign() -> dict[tuple[str, str], tuple[str, str]]:
    """Each field to test gets the next kind that fits its length, in turn, and a marker."""
    kinds = itertools.cycle(KINDS.items())
    emails = itertools.cycle(EMAIL_KINDS.items())
    assigned = {}
    targets = [f for f in free_text_fields() if f not in SKIPPED]
    for number, (label, name) in enumerate(targets, start=1):
        marker = f"zq_{number:03d}"
        model_field = _field(label, name)
        source = emails if isinstance(model_field, models.EmailField) else kinds
        for kind, template in source:
            text = template.replace("{m}", marker)
            if model_field.max_length is None or len(text) <= model_field.max_length:
                assigned[(label, name)] = (kind, text)
                break
    return assigned


@dataclass
class Payloads:
    """The payload of each field, and which fields a world actually asked for."""

    by_field: dict[tuple[str, str], tuple[str, str]] = field(default_factory=_assign)
    asked: set[tuple[str, str]] = field(default_factory=set)

    def text(self, label: str, name: str) -> str:
        self.asked.add((label, name))
        return self.by_field[(label, name)][1]

    def texts(self, label: str, *, but: tuple[str, ...] = ()) -> dict[str, str]:
        """Every free-text field of a model (but those named), for a service's **fields."""
        return {name: self.text(label, name) for (lab, name) in self.by_field
                if lab == label and name not in but}

    def payload(self, key: tuple[str, str]) -> str:
        return self.by_field[key][1]

    def marker(self, key: tuple[str, str]) -> str:
        return MARKER.search(self.payload(key)).group()

    @property
    def all(self) -> dict[str, str]:
        """marker -> payload, for every field asked for."""
        return {self.marker(key): self.payload(key) for key in self.asked}

    def field_of(self, marker: str) -> tuple[str, str]:
        return next(key for key, (kind, text) in self.by_field.items() if marker in text)


# --- HTML: what the browser would parse ---------------------------------------------------

# Attributes whose URL the browser fetches or navigates to. A marker in one is a problem when
# the URL leaves the application (a scheme or another host): a link back to the same page with
# what was searched for in its query string (`?state=...`) goes nowhere else.
URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "data", "action", "formaction",
                  "poster", "background", "ping", "codebase", "cite", "manifest"}
# Attributes that are code, or that htmx turns into requests: no marker may ever be in one.
CODE_ATTRIBUTES = {"style", "srcdoc"}
CODE_PREFIXES = ("on", "hx-", "data-hx-")
# Elements that fetch or run whatever they carry: any marker in their attributes is a payload
# that became markup. (An <svg> is not in this list: the application's own charts carry the
# measure's name, escaped, as their accessible label; its URL attributes are still checked.)
ACTIVE_ELEMENTS = {"script", "style", "img", "image", "link", "iframe", "frame", "object",
                   "embed", "base", "meta", "video", "audio", "source", "use", "feimage"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def _leaves_the_app(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._raw_element: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            carried = MARKER.search(value) or MARKER.search(name)
            if name in URL_ATTRIBUTES and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                    SCRIPT_SCHEMES):
                self.problems.append(f"script URL <{tag} {name}={value!r}>")
            elif carried and (tag in ACTIVE_ELEMENTS or name in CODE_ATTRIBUTES
                              or name.startswith(CODE_PREFIXES)
                              or (name in URL_ATTRIBUTES and _leaves_the_app(value))):
                self.problems.append(f"<{tag} {name}={value!r}> carries {carried.group()}")
        if tag in ("script", "style"):
            self._raw_element = tag

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw_element:
            self._raw_element = None

    def handle_data(self, data: str) -> None:
        if self._raw_element:
            if found := MARKER.search(data):
                self.problems.append(f"<{self._raw_element}> holds {found.group()}: {data[:80]!r}")
        else:
            self.text.append(data)


@dataclass
class HtmlReading:
    problems: list[str]
    shown: set[str]  # markers shown to the reader as text (in the page or a form's fields)


def read_html(body: str, payloads: dict[str, str]) -> HtmlReading:
    """Parse a page as a browser would; list every way a payload came out live."""
    page = _Page()
    page.feed(body)
    page.close()
    problems = list(page.problems)
    for marker, payload in payloads.items():
        if html_escape(payload) != payload and payload in body:
            problems.append(f"{marker} is in the page unescaped: {payload!r}")
        if "{{ 7*7 }}" in payload and f"49{marker}" in body:
            problems.append(f"{marker}: the template payload was evaluated")
    text = "".join(page.text)
    shown = set(MARKER.findall(text))
    # A form field's value is shown too: in <textarea> as text, in <input value> as an attribute.
    for value in re.findall(r'<input[^>]*\svalue="([^"]*)"', body):
        shown.update(MARKER.findall(value))
    return HtmlReading(problems, shown)


# --- PDF and the renderer: what it asked for, and whether it went anywhere -----------------


@dataclass
class Watch:
    """Every URL the report renderer asked for, and every attempt at the network."""

    asked: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)

    def fetcher_class(self) -> type[AppOnlyFetcher]:
        watch = self

        class RecordingFetcher(AppOnlyFetcher):
            def fetch(self, url, headers=None):
                watch.asked.append(url)
                try:
                    return super().fetch(url, headers)
                except Exception:
                    watch.refused.append(url)
                    raise

        return RecordingFetcher

    @contextmanager
    def no_network(self) -> Iterator[None]:
        """Any connection, name lookup or urlopen is recorded and refused."""

        def refuse(what: str):
            def attempt(*args, **kwargs):
                self.network.append(f"{what}{args[1:] if what == 'connect' else args}")
                raise OSError(f"{what} refused: report rendering must not use the network")

            return attempt

        with mock.patch.object(socket.socket, "connect", refuse("connect")), \
                mock.patch.object(socket.socket, "connect_ex", refuse("connect")), \
                mock.patch.object(socket, "getaddrinfo", refuse("getaddrinfo")), \
                mock.patch.object(socket, "create_connection", refuse("create_connection")), \
                mock.patch.object(urllib.request, "urlopen", refuse("urlopen")):
            yield

    def outside_the_app(self) -> list[str]:
        """URLs asked for that are not the application's own static files or logos."""
        own = (APP_ORIGIN + "static/", APP_ORIGIN + "media/logos/")
        return [url for url in self.asked if not url.startswith(own)]


SSRF_HOSTS = ("169.254.169.254", "metadata.google.internal", "file:", "/etc/passwd")


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF breaks long lines wherever it must."""
    return re.sub(r"\s+", "", text)
