"""The admin's lists of large tables: an estimate instead of COUNT(*) when unfiltered.

PostgreSQL keeps an estimate of each table's rows (pg_class.reltuples, refreshed by
ANALYZE and autovacuum); counting a million rows exactly on every page view costs more
than it tells an administrator."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 50_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                               [queryset.model._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return int(row[0])
        return super().count


class LargeTableAdmin:
    """Mixed into the admin of tables that grow with the practice."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
