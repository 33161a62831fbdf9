"""People pages: list with filters and live search, profile, forms, history.

Views only adapt: reads go through selectors (already scoped), writes through services.
Out of scope is "not found" (404); in scope but read-only is "forbidden" (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_access, record_rows
from canbo.core.forms import add_service_errors
from canbo.core.history import describe_events
from canbo.core.replica import replica_reads

from . import list_rows, selectors, selectors_tenure, services
from .forms import SECTION_FORMS, PersonForm, PersonListFilter
from .models import Person
from .post_locality import judge_posts
from .tenure import tenure_text

PAGE_SIZE = 50
SECTION_TITLES = {
    "assignment": gettext_lazy("Quá trình công tác"),
    "evaluation": gettext_lazy("Đánh giá, xếp loại"),
    "confidence_vote": gettext_lazy("Kết quả lấy phiếu tín nhiệm"),
    "discipline": gettext_lazy("Kỷ luật"),
    "reward": gettext_lazy("Khen thưởng"),
    "training": gettext_lazy("Đào tạo, bồi dưỡng"),
}


def is_htmx(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def get_person_or_404(user, pk) -> Person:
    try:
        return selectors.person_get(user=user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


def get_editable_person(user, pk) -> Person:
    """404 when the record is out of the user's sight, 403 when it is read-only for them."""
    person = get_person_or_404(user, pk)
    if not selectors.person_list(user=user, action=scope.EDIT).filter(pk=person.pk).exists():
        raise PermissionDenied(_("Bạn chỉ có quyền xem hồ sơ này."))
    return person


def section_title(kind: str) -> str:
    return str(SECTION_TITLES[kind])


def filter_errors(form) -> list[tuple[str, str]]:
    """(field label or "", message) for each error of a bound filter form."""
    if not form.is_bound:
        return []
    return [
        (str(form.fields[name].label) if name in form.fields else "", str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


@replica_reads
class PersonListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        filterset = PersonListFilter(
            request.GET or None, queryset=selectors.person_list(user=user), user=user
        )
        on = filterset.as_of_date
        # A query the page cannot read (an impossible date, an unknown parameter, an
        # ambiguous unit) shows its errors and no one: never the whole list instead.
        if filterset.is_bound and not filterset.form.is_valid():
            people = filterset.queryset.none()
        else:
            people = filterset.qs
        people = list_rows.page_people(people)
        exact = request.GET.get("count") == "exact"
        paginator = selectors.PersonPaginator(people, PAGE_SIZE, exact=exact)
        page = paginator.get_page(request.GET.get("page"))
        rows = list_rows.page_rows(page.object_list, on, page.start_index())
        record_rows(
            actor=user,
            kind=AccessKind.LIST,
            model=Person,
            query=query_text(request.GET),
            person_ids=[row.person.pk for row in rows],
        )
        context = {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "rows_html": list_rows.rows_html(rows),
            "filter_errors": filter_errors(filterset.form),
            "as_of": on,
            "as_of_shown": on != selectors.today(),
            "can_create": scope.can_edit(user),
        }
        template = "people/_person_results.html" if is_htmx(request) else "people/person_list.html"
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


class PersonDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        user = request.user
        try:
            person = selectors.person_profile(user=user, pk=pk)
        except Person.DoesNotExist:
            raise Http404 from None
        derived = selectors.person_derived(person)
        current = selectors.current_positions(person)
        # Beside each current post: its continuous tenure and the terms it spans (ADR 0014).
        tenure_of_row = {
            tenure.row_id: tenure_text(tenure)
            for tenure in selectors_tenure.post_tenures([person.pk], selectors.today())[person.pk]
        }
        for assignment in current:
            assignment.tenure_text = tenure_of_row.get(assignment.pk, "")
        judge_posts([(person, a) for a in current])  # "local" per post (ADR 0013)
        votes = list(person.confidence_votes.all())
        context = {
            "person": person,
            "derived": derived,
            "current_assignments": current,
            "assignments": list(person.assignments.all()),
            "evaluations": list(person.evaluations.all()),
            "votes": votes,
            "disciplines": list(person.disciplines.all()),
            "rewards": list(person.rewards.all()),
            "trainings": list(person.trainings.all()),
            "can_edit": scope.unit_allowed(user, person.unit, scope.EDIT),
            "titles": {k: str(v) for k, v in SECTION_TITLES.items()},
        }
        return render(request, "people/person_detail.html", context)


class PersonFormView(LoginRequiredMixin, View):
    """Create (no pk) or edit (pk) a record through the services."""

    template_name = "people/person_form.html"

    def get_person(self, request, pk):
        if pk is None:
            if not scope.can_edit(request.user):
                raise PermissionDenied(_("Bạn không có quyền thêm hồ sơ."))
            return None
        return get_editable_person(request.user, pk)

    def render_form(self, request, form, person):
        return render(request, self.template_name, {"form": form, "person": person})

    def get(self, request, pk=None):
        person = self.get_person(request, pk)
        initial = {}
        if person is not None:
            # The form shows the record's values: opening it is an access.
            record_access(actor=request.user, instance=person, kind=AccessKind.FORM)
            initial = PersonForm.initial_for(person)
        form = PersonForm(initial=initial, user=request.user, person=person)
        return self.render_form(request, form, person)

    def post(self, request, pk=None):
        person = self.get_person(request, pk)
        form = PersonForm(request.POST, user=request.user, person=person)
        if form.is_valid():
            try:
                if person is None:
                    person = services.person_create(actor=request.user, **form.service_fields())
                    messages.success(request, _("Đã thêm hồ sơ cán bộ %s.") % person.full_name)
                else:
                    person = services.person_update(
                        actor=request.user, person=person, **form.service_fields()
                    )
                    messages.success(request, _("Đã lưu hồ sơ cán bộ %s.") % person.full_name)
                return redirect("people:detail", pk=person.pk)
            except ValidationError as error:
                add_service_errors(
                    form, error, model=Person, aliases={"birth_date_precision": "birth_date"}
                )
        return self.render_form(request, form, person)


class SectionView(LoginRequiredMixin, View):
    """Add (no item_pk), edit or delete one row of a profile section."""

    template_name = "people/section_form.html"
    deleting = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in SECTION_FORMS:
            raise Http404

    def get_objects(self, request, pk, kind, item_pk=None):
        person = get_editable_person(request.user, pk)
        form_class = SECTION_FORMS[kind]
        item = None
        if item_pk is not None:
            model = form_class._meta.model
            item = model.objects.filter(person=person, pk=item_pk).first()
            if item is None:
                raise Http404
        return person, form_class, item

    def profile_url(self, person, kind) -> str:
        return reverse("people:detail", args=[person.pk]) + f"#{kind}"

    def render_page(self, request, person, kind, form=None, item=None):
        context = {
            "person": person,
            "kind": kind,
            "title": section_title(kind),
            "form": form,
            "item": item,
            "delete": self.deleting,
            "back_url": self.profile_url(person, kind),
        }
        return render(request, self.template_name, context)

    def get(self, request, pk, kind, item_pk=None):
        person, form_class, item = self.get_objects(request, pk, kind, item_pk)
        if item is not None:  # the row's values (a discipline, a vote…) are shown
            record_access(actor=request.user, instance=person, kind=AccessKind.FORM)
        form = None if self.deleting else form_class(instance=item, user=request.user)
        return self.render_page(request, person, kind, form, item)

    def post(self, request, pk, kind, item_pk=None):
        person, form_class, item = self.get_objects(request, pk, kind, item_pk)
        if self.deleting:
            services.section_delete(actor=request.user, item=item)
            messages.success(request, _("Đã xóa một dòng %s.") % section_title(kind).lower())
            return redirect(self.profile_url(person, kind))
        form = form_class(request.POST, instance=item, user=request.user)
        if form.is_valid():
            try:
                if item is None:
                    services.section_create(
                        actor=request.user, person=person, kind=kind, **form.service_fields()
                    )
                else:
                    services.section_update(actor=request.user, item=item, **form.service_fields())
            except ValidationError as error:
                add_service_errors(
                    form,
                    error,
                    model=form_class._meta.model,
                    aliases={"start_precision": "start_date", "end_precision": "end_date"},
                )
            else:
                messages.success(request, _("Đã lưu %s.") % section_title(kind).lower())
                return redirect(self.profile_url(person, kind))
        return self.render_page(request, person, kind, form, item)


class PersonHistoryView(LoginRequiredMixin, View):
    def get(self, request, pk):
        person = get_person_or_404(request.user, pk)
        # The history shows the record's values: reading it is an access like the profile.
        record_access(actor=request.user, instance=person, kind=AccessKind.HISTORY)
        page = Paginator(selectors.person_history(person), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "subject": person,
            "page_obj": page,
            "entries": describe_events(page.object_list),
            "back_url": reverse("people:detail", args=[person.pk]),
        }
        return render(request, "core/history.html", context)
