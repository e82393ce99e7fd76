"""A page reads its session and the signed-in person in one query (casemgmt.sessions,
accounts.WebSession): the person comes with the session's row, and the session's data still
decides who is signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import READING_SESSION, CaseworkBackend
from accounts.models import WebSession

from . import factories as f
from .auth import sign_in

pytestmark = pytest.mark.django_db


def _tables_read(client, path: str = "/clients/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_page_reads_the_person_with_the_session_and_not_again(client, case_manager):
    sign_in(client, case_manager)
    client.get("/")
    sqls = _tables_read(client)
    sessions = [sql for sql in sqls if '"accounts_websession"' in sql]
    assert len(sessions) == 1 and '"accounts_user"' in sessions[0]
    # No other query starts at the people's table: the person is not read by id as well.
    assert not [sql for sql in sqls if 'FROM "accounts_user"' in sql]


def test_the_person_with_the_session_is_the_person_read_by_id(client, case_manager):
    from notifications.models import Notification

    for _ in range(3):
        Notification.objects.create(recipient=case_manager, kind="report_due", title="Report due")
    sign_in(client, case_manager)
    response = client.get("/")
    user = response.wsgi_request.user
    assert response.wsgi_request._cached_user is response.wsgi_request.session.signed_in_user
    by_id = CaseworkBackend().get_user(case_manager.pk)
    for name in ("pk", "username", "organisation_id", "unread_notifications",
                 "confirmed_authenticators"):
        assert getattr(user, name) == getattr(by_id, name), name
    assert user.unread_notifications == 3 and user.confirmed_authenticators
    with CaptureQueriesContext(connection) as queries:
        assert user.organisation.name == case_manager.organisation.name
    assert not queries.captured_queries  # read with the session


def test_the_session_row_names_its_person_and_goes_with_sign_out(client, case_manager):
    sign_in(client, case_manager)
    client.get("/")
    key = client.cookies["sessionid"].value
    assert WebSession.objects.get(session_key=key).user_id == case_manager.pk
    client.post("/accounts/logout/")
    assert not WebSession.objects.filter(session_key=key).exists()


def test_a_session_without_anyone_signed_in_names_nobody():
    from casemgmt.sessions import SessionStore

    store = SessionStore()
    store["cart"] = "not a person"
    store.save()
    assert WebSession.objects.get(session_key=store.session_key).user_id is None
    store[SESSION_KEY] = "not an id"
    store.save()
    assert WebSession.objects.get(session_key=store.session_key).user_id is None


def test_the_sessions_data_decides_who_is_signed_in_not_its_column(client, case_manager):
    """A row whose column names someone else (written by anything but the store) signs in
    the person the data names, read by id, never the column's person."""
    sign_in(client, case_manager)
    client.get("/")
    key = client.cookies["sessionid"].value
    other = f.CaseManagerFactory(organisation=case_manager.organisation)
    WebSession.objects.filter(session_key=key).update(user=other)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == case_manager.pk


def test_the_session_is_known_to_the_backend_only_while_the_person_is_read(client, case_manager):
    sign_in(client, case_manager)
    client.get("/")
    assert READING_SESSION.get() is None
    # Nothing left behind: a person read by id afterwards is read from the database.
    with CaptureQueriesContext(connection) as queries:
        assert CaseworkBackend().get_user(case_manager.pk).pk == case_manager.pk
    assert len(queries.captured_queries) == 1


def test_expired_sessions_are_cleared_each_night_and_live_ones_kept(client, case_manager):
    import datetime as dt

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from accounts.tasks import clear_expired_sessions

    sign_in(client, case_manager)
    live = client.cookies["sessionid"].value
    old = WebSession.objects.create(session_key="x" * 32, session_data="",
                                    expire_date=timezone.now() - dt.timedelta(minutes=1))
    clear_expired_sessions()
    assert not WebSession.objects.filter(pk=old.pk).exists()
    assert WebSession.objects.filter(pk=live).exists() and client.get("/").status_code == 200
    job = PeriodicTask.objects.get(task="accounts.tasks.clear_expired_sessions")
    assert job.enabled and job.crontab.hour == "3"


def test_a_new_key_or_an_emptied_session_forgets_the_person_read_with_it(client, case_manager):
    from casemgmt.sessions import SessionStore

    sign_in(client, case_manager)
    for end in ("cycle_key", "flush"):
        store = SessionStore(client.cookies["sessionid"].value)
        assert store.get(SESSION_KEY) == str(case_manager.pk)
        assert store.signed_in_user.pk == case_manager.pk
        getattr(store, end)()
        assert store.signed_in_user is None, end
        sign_in(client, case_manager)


@pytest.mark.parametrize("change", ["password", "epoch"])
def test_a_password_or_sign_out_everywhere_elsewhere_ends_the_session(client, case_manager,
                                                                       change):
    """The person the session's query brings is checked against the session's hash as one read
    by id is: a new password, or a sign-out everywhere (the epoch), ends it."""
    from django.db.models import F

    from accounts.models import User

    sign_in(client, case_manager)
    assert client.get("/").status_code == 200
    if change == "password":
        case_manager.set_password("another-long-passphrase")
        User.objects.filter(pk=case_manager.pk).update(password=case_manager.password)
    else:
        User.objects.filter(pk=case_manager.pk).update(session_epoch=F("session_epoch") + 1)
    assert client.get("/").status_code == 302
