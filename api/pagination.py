from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """Keyset pagination: page 500 costs what page 1 costs. A cursor that no page wrote (a
    position that is no value of the ordering's column) is an invalid cursor, 404, as one
    that cannot be read at all is: DRF met it with a server error."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-id")

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and "\x00" in cursor.position:
            raise NotFound(self.invalid_cursor_message)  # PostgreSQL cannot be asked about it
        return cursor

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.cursor_query_param) is None:
            return super().paginate_queryset(queryset, request, view)  # nothing to refuse
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, ValueError, TypeError, OverflowError) as refused:
            raise NotFound(self.invalid_cursor_message) from refused


class CasesByActivity(NewestFirst):
    ordering = ("-updated_at", "-id")
