"""Unit tree, unit detail and history pages, and the area suggestions for forms."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from canbo.core import scope
from canbo.core.audit import AccessKind, history_for, record_rows
from canbo.core.dates import date_problem, parse_day
from canbo.core.history import describe_events
from canbo.core.vntext import is_clean_text

from . import pickers, selectors, staffing
from .forms import SEPARATOR, area_labels
from .models import Unit


def get_unit_or_404(user, pk) -> Unit:
    try:
        return selectors.unit_get(user=user, pk=pk)
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None


def with_counts(units: list[Unit], user) -> list[Unit]:
    counts = staffing.people().unit_people_counts(units, user=user)
    for unit in units:
        unit.people_count = counts.get(unit.pk, 0)
    return units


def is_htmx(request) -> bool:
    """An htmx request for a fragment (not htmx restoring a page of its history)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


class AsOfPage(TemplateView):
    """A page read at `?as_of=` (dd/mm/yyyy or YYYY-MM-DD; none: the whole tree, today's
    counts); an impossible date is a 400 naming it."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.context_data.get("date_error"):
            response.status_code = 400
        return response

    def as_of(self) -> tuple[dt.date | None, dict]:
        on, date_error = as_of_param(self.request)
        text = (self.request.GET.get("as_of") or "")[:20]
        return on, {"as_of": on, "as_of_text": text, "date_error": date_error,
                    "as_of_query": f"?as_of={on:%d/%m/%Y}" if on else ""}  # fmt: skip


def in_tree(user, units, on: dt.date | None) -> list[Unit]:
    """`units` as the tree stood on `on` (all of them when None), with today's people
    counts when no date is asked (the counts are of the records as they are)."""
    if on is not None:  # ADR 0013
        if isinstance(units, list):
            units = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        return list(selectors.units_on(units, on))
    return with_counts(list(units), user)


class UnitTreeView(LoginRequiredMixin, AsOfPage):
    """The units the user sees from their top units down, children loaded as they open.

    `?q=` filters instead: the units in sight whose name has the words typed (accents
    aside) or whose code starts with them, in tree order, each under its path (as far as
    the user may see it); with `?as_of=`, those in force that day. The filter box asks
    for the list alone (htmx), the page's own form for the whole page.
    """

    template_name = "organizations/unit_tree.html"
    fragment_name = "organizations/_unit_tree_body.html"
    #: Matches shown at most: more asks for more words.
    shown = 100

    def get_template_names(self):
        return [self.fragment_name if is_htmx(self.request) else self.template_name]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["HX-Request"])
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        on, dated = self.as_of()
        query = (self.request.GET.get("q") or "").strip()[:100]
        if not query:
            context.update(units=in_tree(user, selectors.unit_roots(user=user), on), **dated)
            return context
        matches = selectors.units_matching(selectors.unit_list(user=user), query)
        if on is not None:
            matches = selectors.units_on(matches, on)
        units = list(matches.order_by("path")[: self.shown])
        if on is None:
            with_counts(units, user)
        trails = selectors.unit_parents(user=user, units=units)
        for unit in units:
            unit.trail = trails[unit.pk]
        context.update(units=units, query=query, total=matches.count(), **dated)
        return context


class UnitChildrenView(LoginRequiredMixin, AsOfPage):
    """The children of a unit: a fragment for htmx, else the unit page (which lists them)."""

    template_name = "organizations/_unit_children.html"

    def get(self, request, *args, **kwargs):
        unit = get_unit_or_404(request.user, kwargs["pk"])
        if not is_htmx(request):
            url = reverse("organizations:unit-detail", args=[unit.pk])
            on, _dated = self.as_of()
            return redirect(url + (f"?as_of={on:%d/%m/%Y}" if on else ""))
        return super().get(request, *args, unit=unit, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on, dated = self.as_of()
        children = selectors.unit_children(user=self.request.user, unit=kwargs["unit"])
        context.update(units=in_tree(self.request.user, children, on), **dated)
        return context


def as_of_param(request) -> tuple[dt.date | None, str]:
    """`?as_of=` (dd/mm/yyyy or YYYY-MM-DD): the date, or None and the error to show."""
    return as_of_value(request.GET)


def as_of_value(params) -> tuple[dt.date | None, str]:
    """`as_of` of a query (as `as_of_param`), for work done away from the request."""
    text = (params.get("as_of") or "").strip()
    if not text:
        return None, ""
    try:
        return parse_day(text[:20]), ""
    except ValueError as error:
        invalid = _("Ngày “%(value)s” không hợp lệ; hãy viết dd/mm/yyyy.") % {"value": text[:20]}
        return None, date_problem(text[:20], error, invalid)


class UnitDetailView(LoginRequiredMixin, AsOfPage):
    template_name = "organizations/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = get_unit_or_404(user, kwargs["pk"])
        on, dated = self.as_of()
        date_error = dated["date_error"]
        ancestor_paths = [unit.path[:i] for i in range(unit.steplen, len(unit.path), unit.steplen)]
        children = selectors.unit_children(user=user, unit=unit)
        if on is not None:  # the units as the tree stood that day (ADR 0013)
            children = selectors.units_on(children, on)
        children = list(children)
        with_counts([unit, *children], user)
        positions = [] if date_error else staffing.people().unit_positions_with_holders(
            user=user, unit=unit, on=on)  # fmt: skip
        shown = [a.person_id for position in positions for a in position.holders]
        if shown:  # the holders' names: a list of people, in the access log
            record_rows(actor=user, kind=AccessKind.LIST, instance=unit, query="", person_ids=shown)
        context.update(
            unit=unit,
            ancestors=list(selectors.unit_list(user=user).filter(path__in=ancestor_paths)),
            children=children,
            positions=positions,
            can_edit=scope.unit_allowed(user, unit, scope.EDIT),
            **dated,
        )
        return context


class UnitHistoryView(LoginRequiredMixin, TemplateView):
    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = get_unit_or_404(self.request.user, kwargs["pk"])
        page = Paginator(history_for(unit), 50).get_page(self.request.GET.get("page"))
        context.update(
            subject=unit,
            page_obj=page,
            entries=describe_events(page.object_list),
            back_url=reverse("organizations:unit-detail", args=[unit.pk]),
        )
        return context


class AreaSearchView(LoginRequiredMixin, TemplateView):
    """Suggestions for an area box: <option> elements for a <datalist>."""

    template_name = "organizations/_area_options.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # htmx sends the box's own value under its name (hometown=…, birthplace=…).
        typed = next((v for v in self.request.GET.values() if v.strip()), "")
        text = typed.split(" · ", 1)[0].strip()
        areas = []
        if len(text) >= 2:
            qs = (
                selectors.area_list().filter(code__startswith=text)
                if text.isdigit()
                else selectors.area_list(search=text)
            )
            qs = qs.order_by(F("valid_to").asc(nulls_first=True), "path")
            areas = list(qs[:20])
        context["options"] = [label for _area, label in area_labels(areas)]
        context["target"] = self.request.headers.get("HX-Trigger", "")
        context["text"] = text
        return context


class UnitSuggestView(LoginRequiredMixin, View):
    """Units in the user's scope with a word of their name starting with each word typed (or
    a code starting with it), for a unit box's suggestions (`selectors.units_matching`):
    JSON {"results": [{"code", "name", "value", "current"}]}.

    `value` is "CODE · Name", which the people filter reads back by its code. Units in
    force today come first; abolished ones follow, marked. Units are not personal data:
    nothing goes to the access log.
    """

    limit = 20
    separator = " · "

    def get(self, request):
        text = request.GET.get("q", "").split(self.separator, 1)[0].strip()[:100]
        found = []
        if len(text) >= 2 and is_clean_text(text):
            found = selectors.unit_search(
                selectors.unit_list(user=request.user), text,
                on=staffing.people().today(), limit=self.limit,
            )  # fmt: skip
        results = [
            {
                "code": u.code,
                "name": u.name,
                "value": f"{u.code}{self.separator}{u.name}",
                "current": current,
            }
            for u, current in found
        ]
        return JsonResponse({"results": results})


class UnitPickView(LoginRequiredMixin, TemplateView):
    """The suggestions of a unit picker (`widgets.UnitPicker`): options for its listbox.

    `?source=` names where its units come from (`pickers`), with that source's own
    parameters (`?plan=`); the source answers for the user who asks, so a box offers only
    units its field accepts. `?q=` is what was typed ("CODE · Name" reads as the code):
    words of the name without accents, or the start of a code; none lists the first units
    (the box opened with the arrow key). In force today first, then abolished ones, marked;
    each with its path as far as the user may see it. Units are not personal data: nothing
    goes to the access log.
    """

    template_name = "organizations/_unit_options.html"
    limit = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, query = self.request.user, self.request.GET
        units = pickers.units_for(query.get("source", ""), user=user, params=query)
        text = query.get("q", "").split(SEPARATOR, 1)[0].strip()[:100]
        found = selectors.unit_search(units, text, on=staffing.people().today(), limit=self.limit)
        trails = selectors.unit_parents(user=user, units=[u for u, _current in found])
        context["options"] = [(u, current, trails[u.pk]) for u, current in found]
        return context
