from __future__ import annotations

from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """Keyset pagination: page 500 costs what page 1 costs."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")


class CasesByActivity(NewestFirst):
    ordering = ("-updated_at", "-id")
