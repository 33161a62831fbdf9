"""The count of "Việc cần làm" in the navigation bar: overdue plus due this week in the
user's sight. Lazy: nothing is read until the bar is drawn, nothing at all for an
anonymous visitor, one query for a signed-in user (`pages.todo_counts`)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from . import pages


def todo_count(request) -> dict:
    def count():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return pages.TodoCounts()
        return pages.todo_counts(user, pages.today())

    return {"directives_todo": SimpleLazyObject(count)}
