"""`{% url %}` in every template, the admin's included, writes what Django's own tag writes,
while reversing each page name once (casemgmt.paths)."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Engine, Template, engines
from django.test import RequestFactory
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    clear_script_prefix,
    get_resolver,
    reverse,
    set_script_prefix,
)

from casemgmt import paths

from . import factories as f

# Django's own engine, without the project's builtins: the tag as Django writes it.
DJANGOS = Engine(libraries={})


def _ours(text: str) -> Template:
    return engines["django"].from_string(text).template


def _named(resolver: URLResolver, namespace: str = "") -> list[tuple[str, int]]:
    """Every named pattern with how many ids it takes: (name, arguments)."""
    found = []
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found += _named(item, inner)
        elif isinstance(item, URLPattern) and item.name:
            found.append((namespace + item.name, item.pattern.regex.groups))
    return found


NAMES = sorted(set(_named(get_resolver())))


def test_the_project_has_pages_with_none_one_and_two_ids():
    assert {n for _, n in NAMES} >= {0, 1, 2}
    assert any(name.startswith("admin:") for name, _ in NAMES)


@pytest.mark.parametrize("prefix", ["/", "/casework/"])
def test_every_page_is_written_as_djangos_tag_writes_it(prefix):
    """Every named page of the project, with 0, 7, 4242 and 10**12 as its ids, and as the
    admin's current application: the same text as Django's tag, or the same error."""
    set_script_prefix(prefix)
    paths._PATHS.clear()
    request = RequestFactory().get("/")
    request.current_app = "admin"
    written = 0
    try:
        for name, ids in NAMES:
            for value in (0, 7, 4242, 10**12):
                args = " ".join(["pk"] * ids)
                text = "{% url name " + args + " %}"
                context = {"name": name, "pk": value}
                ours = _written(_ours(text), context, request)
                assert ours == _written(DJANGOS.from_string(text), context, request), (name, value)
                written += ours.startswith(prefix)
    finally:
        clear_script_prefix()
    assert written > 4 * 150  # the admin's pages and ours, not only failures compared


def _written(template: Template, context: dict, request) -> str:
    try:
        return template.render(_with(context, request))
    except Exception as error:  # the same failure is the same answer
        return f"failed: {type(error).__name__}"


def _with(context: dict, request) -> Context:
    made = Context(context)
    made.request = request
    return made


@pytest.mark.parametrize("value", ["put_on_hold", "42", "a b&c", -1, None, 3.5, "٣"])
def test_what_is_not_an_id_is_written_by_django(value):
    text = "{% url 'case-step' 7 value as link %}[{{ link }}]"
    context = Context({"value": value})
    assert _ours(text).render(context) == DJANGOS.from_string(text).render(Context({"value": value}))


def test_keyword_arguments_as_variables_and_escaping_are_djangos():
    text = ("{% url 'password_reset_confirm' uidb64=u token=t %}|{% url 'nothing-here' as x %}"
            "[{{ x }}]|{% autoescape off %}{% url 'case-detail' 3 %}{% endautoescape %}")
    context = {"u": "MQ", "t": "a-b"}
    assert _ours(text).render(Context(context)) == DJANGOS.from_string(text).render(
        Context(context))
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'nothing-here' %}").render(Context())
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'case-detail' %}").render(Context())


def test_a_second_id_is_placed_where_django_places_it():
    assert reverse("case-step", args=[12, "put_on_hold"]) == paths.reverse_kept(
        "case-step", (12, "put_on_hold"))
    for name, ids in NAMES:
        if ids == 2:
            try:
                expected = reverse(name, args=[12, 345])
            except NoReverseMatch:
                continue
            assert paths.reverse_kept(name, (12, 345)) == expected


@pytest.mark.django_db
def test_a_case_page_reverses_each_page_name_once(reversals, client, people, draft_case):
    from .auth import sign_in

    sign_in(client, people.case_manager)
    cm = people.case_manager
    cases = [draft_case] + [f.CaseFactory(case_manager=cm, client__firm=cm.organisation)
                            for _ in range(2)]
    made = reversals()
    pages = [client.get(f"/cases/{case.pk}/") for case in cases]
    assert all(page.status_code == 200 for page in pages)
    # A step's name is text, which Django reverses each time (casemgmt.paths); ids are kept.
    by_id = [name for name in made if name != "case-step"]
    assert len(by_id) == len(set(by_id)), sorted(by_id)
    assert "case-step" in made and "case-detail" in by_id
    for case, page in zip(cases, pages, strict=True):
        links = set(re.findall(r'href="(/cases/\d+/[^"]*)"', page.content.decode()))
        assert links and all(link.startswith(f"/cases/{case.pk}/") for link in links)
