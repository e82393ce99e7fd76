"""The project's middleware. QueryCountHeader is only for the benchmark (CASEWORK_BENCH=1):
each response says how many SQL queries it took, so `manage.py bench` can report queries per
request from outside the process."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class QueryCountHeader:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class RefuseNulInAddress:
    """An address whose query holds a NUL character is answered 400 before any view reads it.
    No form can send one (Django's and DRF's fields refuse it), and PostgreSQL refuses to be
    asked about one: a search, a filter of the admin's lists or any other value read from the
    address became a server error. The web gets the bad-request page, the API its error
    body."""

    MESSAGE = "The address holds a NUL character, which no search or filter can contain."

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "%00" not in query and "\x00" not in query:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": self.MESSAGE, "code": "invalid", "errors": {}},
                                status=400)
        from django.shortcuts import render

        return render(request, "400.html", {"reason": self.MESSAGE}, status=400)


class NoStoreWhenSignedIn:
    """Pages seen signed in hold client data, and API answers hold data or tokens: no
    browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
        return response


class SessionTimeouts:
    """Signed out after CASEWORK_IDLE_MINUTES without a request, and after
    CASEWORK_SESSION_HOURS in all, whatever the activity: a shared clinic computer left
    signed in must not stay open on a client's record."""

    TOUCH_EVERY = 60  # seconds; writing the session on every request would cost a query

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from django.conf import settings
        from django.contrib.auth import SESSION_KEY, logout
        from django.shortcuts import redirect

        user = getattr(request, "user", None)
        if (user is not None and not user.is_authenticated and hasattr(request, "session")
                and SESSION_KEY in request.session):
            # A session of someone who may no longer sign in (deactivated): end it for good.
            request.session.flush()
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            started = session.setdefault("signed_in_at", now)
            seen = session.get("last_seen", now)
            idle = settings.CASEWORK_IDLE_MINUTES * 60
            total = settings.CASEWORK_SESSION_HOURS * 3600
            if now - seen > idle or now - started > total:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # now anonymous: the API answers 401/403
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}&timeout=1")
            if now - seen >= self.TOUCH_EVERY or "last_seen" not in session:
                session["last_seen"] = now
        return self.get_response(request)


class RefusedAsPage:
    """A page that refuses (cases.errors.Refused raised by a view, or a service it calls,
    before any form) answers with the reason and the status that says what kind, as the API's
    exception handler does for the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from cases.errors import Refused
        from cases.views.base import REFUSAL_STATUS

        if not isinstance(exception, Refused) or request.path.startswith("/api/"):
            return None
        return render(request, "cases/refused.html", {"reason": exception.message},
                      status=REFUSAL_STATUS[exception.code])


class CsrfCookieSentWhenChanged:
    """The CSRF cookie goes out when it is new or changed, not again with every one of our
    pages that holds a form (every signed-in page: the sign-out button). Django re-sends an
    unchanged cookie to restart its year (CSRF_COOKIE_AGE); here the cookie is new at every
    sign-in (Django's `login` rotates it at the password step) and a session ends within
    CASEWORK_SESSION_HOURS, so the renewal restarted nothing anyone needs, and cost every
    page a Set-Cookie to write and for the browser to read.

    Listed just after Django's CsrfViewMiddleware, which stays as it is (its checks, and the
    deploy checks that look for it): this answers first on the way out, and takes back only
    the renewal. Views under Django's own `csrf_protect` or `ensure_csrf_cookie` (sign-in,
    password pages, the admin) still re-send the cookie, as the decorator runs inside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # Without the renewal the cookie's life counts from the sign-in: were it shorter than a
        # session, a form open when it ended would be refused (the next page sends a new one).
        age = settings.CSRF_COOKIE_AGE
        if age is not None and age < settings.SESSION_COOKIE_AGE:
            raise ImproperlyConfigured(
                "CSRF_COOKIE_AGE must be at least SESSION_COOKIE_AGE: the CSRF cookie is "
                "sent again only when it changes (casemgmt.middleware.CsrfCookieSentWhenChanged).")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        held = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if (not settings.CSRF_USE_SESSIONS and request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and held == request.META.get("CSRF_COOKIE")):
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
            patch_vary_headers(response, ("Cookie",))  # the page's form holds its token
        return response
