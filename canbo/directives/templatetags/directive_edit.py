"""Which editing buttons a directive page shows: whoever may edit the issuing unit edits
the directive, its tasks and their assignments; the list's "Thêm văn bản" needs an
editor's role. The user's grants are read once per request (`scope`), so a page with
many tasks asks nothing more per row."""

from django import template

from canbo.core import scope

register = template.Library()


@register.filter
def edits_unit(user, unit) -> bool:
    return scope.unit_allowed(user, unit, scope.EDIT)


@register.filter
def edits_any(user) -> bool:
    return scope.can_edit(user)
