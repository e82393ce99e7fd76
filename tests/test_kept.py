"""A store a process keeps between requests drops its oldest entry once full."""

from __future__ import annotations

from casemgmt.kept import keep


def test_the_oldest_goes_first_and_the_value_comes_back():
    store: dict[str, int] = {}
    for n, key in enumerate("abcd"):
        assert keep(store, key, n, 3) == n
    assert list(store) == ["b", "c", "d"]


def test_a_store_another_thread_emptied_meanwhile_is_not_an_error():
    """A thread may find the store full, then its oldest entry (or all of them) gone."""

    class Emptied(dict):
        def __len__(self):
            return 3  # full as this thread counted it; empty by the time it looks

    store = Emptied()
    assert keep(store, "a", 1, 3) == 1
    assert dict(store) == {"a": 1}
