"""Pages of confidence-vote sessions and evaluation rounds: lists, create, the session (its
people, the double-entered tallies, close, the results with shares, the C findings) and
the round (scores, ratings derived, close, the E findings).

Views only adapt: reads go through `selectors` (already scoped) and `pages`, writes through
`services`. Out of scope is "not found" (404); in scope but read-only is "forbidden" (403).
Every page showing people leaves an access entry (votes, evaluations).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from canbo.core import scope
from canbo.core.audit import AccessKind, query_text, record_rows
from canbo.core.dates import format_day
from canbo.core.forms import service_call
from canbo.people.selectors import in_view_scope

from . import pages, selectors, services
from .forms import (
    AsOfForm,
    CloseForm,
    ExcludeForm,
    FilterForm,
    RoundForm,
    ScoreForm,
    SessionForm,
    SubjectForm,
    TallyForm,
)
from .models import EvaluationRound, EvaluationScore, VoteSession, VoteSubject

PAGE_SIZE = 50


def today() -> dt.date:
    return timezone.localdate()


def bind(form, request, model=None):
    form.actor, form.model = request.user, model
    return form


def log_read(request, person_ids, *, kind, instance=None, model=None, query="") -> None:
    record_rows(actor=request.user, kind=kind, instance=instance, model=model,
                query=" ".join(filter(None, [query, query_text(request.GET)])),
                person_ids=list(dict.fromkeys(person_ids)))  # fmt: skip


def get_row_or_404(qs, pk):
    return get_object_or_404(qs, pk=pk)


def get_editable(qs, user, pk):
    row = get_row_or_404(qs, pk)
    if not pages.can_edit(user, row):
        raise PermissionDenied(_("Bạn chỉ có quyền xem mục này."))
    return row


def session_url(session, anchor: str = "") -> str:
    return reverse("reviews:session", args=[session.pk]) + (f"#{anchor}" if anchor else "")


def round_url(evaluation_round, anchor: str = "") -> str:
    return reverse("reviews:round", args=[evaluation_round.pk]) + (f"#{anchor}" if anchor else "")


class CreateCheck:
    denied = ""

    def check(self, request):
        if not scope.can_edit(request.user):
            raise PermissionDenied(self.denied)


# --- Lists ---------------------------------------------------------------------------------


class _ListView(LoginRequiredMixin, View):
    template_name = ""
    model = None
    rows = None  # (user) → the scoped queryset
    annotate = None  # queryset → the list's queryset

    def get(self, request):
        user = request.user
        form = FilterForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_valid() else {}
        qs = pages.filter_rows(type(self).rows(user), year=data.get("year"), unit=data.get("unit"),
                               status=data.get("status", ""))  # fmt: skip
        page = Paginator(type(self).annotate(qs), PAGE_SIZE).get_page(request.GET.get("page"))
        log_read(request, [], kind=AccessKind.LIST, model=self.model)
        context = {"form": form, "page_obj": page, "rows": page.object_list,
                   "can_create": scope.can_edit(user)}  # fmt: skip
        return render(request, self.template_name, context)


class SessionListView(_ListView):
    template_name = "reviews/session_list.html"
    model = VoteSession
    rows = selectors.sessions
    annotate = pages.session_list


class RoundListView(_ListView):
    template_name = "reviews/round_list.html"
    model = EvaluationRound
    rows = selectors.rounds
    annotate = pages.round_list


# --- Sessions: create and the session page -------------------------------------------------


class SessionCreateView(CreateCheck, LoginRequiredMixin, View):
    denied = gettext_lazy("Bạn không có quyền ghi hội nghị lấy phiếu tín nhiệm.")

    def get(self, request):
        self.check(request)
        form = SessionForm(user=request.user, initial={"year": today().year})
        return render(request, "reviews/session_form.html", {"form": form})

    def post(self, request):
        self.check(request)
        form = bind(SessionForm(request.POST, user=request.user), request, VoteSession)
        if form.is_valid():
            session = service_call(form, services.session_create, **form.cleaned_data)
            if session is not None:
                messages.success(request, _("Đã ghi hội nghị lấy phiếu tín nhiệm ngày %(date)s.")
                                 % {"date": format_day(session.held_on)})  # fmt: skip
                return redirect(session_url(session))
        return render(request, "reviews/session_form.html", {"form": form})


def render_session(request, session: VoteSession, *, status=200, forms=None):
    """The session page; `forms` replace the blank forms (a bound form shows its errors)."""
    user, forms = request.user, forms or {}
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.date(today())
    subjects = list(session.subjects.select_related("person").order_by("person__sort_key", "id"))
    voted = [s for s in subjects if not s.excluded]
    view = selectors.tally_view(session, user)
    findings, rules_missing = pages.findings_of(session=session, as_of=as_of)
    log_read(request, [s.person_id for s in subjects], kind=AccessKind.VOTE, instance=session)
    editable = pages.can_edit(user, session) and session.closed_on is None
    context = {
        "session": session,
        "subjects": subjects,
        "voted": voted,
        "as_of": as_of,
        "as_of_form": as_of_form,
        "findings": findings,
        "rules_missing": rules_missing,
        "view": view,
        "both_in": pages.both_in(view),
        "table": pages.tally_table(view, voted),
        "hidden_rounds": pages.hidden_rounds(view),
        "results": pages.results(session, view, voted),
        "differences_text": services.difference_text(
            view.differences or (), {s.person_id: s.person.full_name for s in subjects}),
        "subject_rows": [(s, None) for s in subjects],
        "can_edit": editable,
        "viewable": in_view_scope(user=user, person_ids=[s.person_id for s in subjects]),
    }
    if editable:
        context["subject_form"] = forms.get("subject") or SubjectForm(user=user)
        tallied = {t.person_id for r in view.visible for t in view.entries[r]}
        excludable = {s.pk for s in voted if s.person_id not in tallied}
        context["subject_rows"] = [
            (s, forms.get(("exclude", s.pk)) or ExcludeForm(subject=s) if s.pk in excludable else None)
            for s in subjects
        ]  # fmt: skip
        context["round"] = pages.round_for(view, user)
        if context["round"] is not None and voted:
            context["tally_form"] = forms.get("tally") or TallyForm(
                subjects=voted, initial=pages.own_figures(view, user))  # fmt: skip
        context["close_form"] = forms.get("close") or CloseForm(initial={"closed_on": today()})
    return render(request, "reviews/session_detail.html", context, status=status)


def session_for(request, pk, *, edit=False) -> VoteSession:
    qs = selectors.sessions(request.user)
    return get_editable(qs, request.user, pk) if edit else get_row_or_404(qs, pk)


class SessionDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_session(request, session_for(request, pk))


class SubjectAddView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = session_for(request, pk, edit=True)
        form = bind(SubjectForm(request.POST, user=request.user), request, VoteSubject)
        if form.is_valid() and service_call(form, services.subject_add, session=session,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã thêm %(name)s vào danh sách lấy phiếu.")
                             % {"name": form.cleaned_data["person"].full_name})  # fmt: skip
            return redirect(session_url(session, "subjects"))
        return render_session(request, session, forms={"subject": form})


class SubjectExcludeView(LoginRequiredMixin, View):
    def post(self, request, pk, subject_pk):
        session = session_for(request, pk, edit=True)
        subject = get_object_or_404(VoteSubject.objects.select_related("person"),
                                    session=session, pk=subject_pk)  # fmt: skip
        form = bind(ExcludeForm(request.POST, subject=subject), request, VoteSubject)
        if form.is_valid() and service_call(form, services.subject_exclude, subject=subject,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã ghi %(name)s không lấy phiếu.")
                             % {"name": subject.person.full_name})  # fmt: skip
            return redirect(session_url(session, "subjects"))
        return render_session(request, session, forms={("exclude", subject.pk): form})


class TallyEnterView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = session_for(request, pk, edit=True)
        voted = list(session.subjects.filter(excluded=False).select_related("person")
                     .order_by("person__sort_key", "id"))  # fmt: skip
        form = bind(TallyForm(request.POST, subjects=voted), request)
        round_no = pages.round_for(selectors.tally_view(session, request.user), request.user)
        if round_no is None:
            form.add_error(None, _("Đã đủ hai lần nhập do người khác thực hiện."))
        elif form.is_valid():
            try:
                rows = form.rows()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if service_call(form, services.tally_enter, session=session, round_no=round_no,
                                rows=rows):  # fmt: skip
                    messages.success(request, _("Đã lưu lần nhập %(round)d số phiếu tín nhiệm.")
                                     % {"round": round_no})  # fmt: skip
                    return redirect(session_url(session, "tallies"))
        return render_session(request, session, forms={"tally": form})


class SessionCloseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = session_for(request, pk, edit=True)
        form = bind(CloseForm(request.POST), request, VoteSession)
        if form.is_valid() and service_call(form, services.session_close, session=session,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã kết thúc hội nghị lấy phiếu; kết quả đã ghi vào hồ sơ "
                                        "từng cán bộ."))  # fmt: skip
            return redirect(session_url(session, "results"))
        return render_session(request, session, forms={"close": form})


# --- Evaluation rounds ---------------------------------------------------------------------


class RoundCreateView(CreateCheck, LoginRequiredMixin, View):
    denied = gettext_lazy("Bạn không có quyền ghi đợt đánh giá, xếp loại.")

    def get(self, request):
        self.check(request)
        form = RoundForm(user=request.user, initial={"year": today().year})
        return render(request, "reviews/round_form.html", {"form": form})

    def post(self, request):
        self.check(request)
        form = bind(RoundForm(request.POST, user=request.user), request, EvaluationRound)
        if form.is_valid():
            row = service_call(form, services.round_create, **form.cleaned_data)
            if row is not None:
                messages.success(request, _("Đã ghi đợt đánh giá, xếp loại năm %(year)d.")
                                 % {"year": row.year})  # fmt: skip
                return redirect(round_url(row))
        return render(request, "reviews/round_form.html", {"form": form})


def render_round(request, evaluation_round: EvaluationRound, *, status=200, forms=None):
    user, forms = request.user, forms or {}
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.date(today())
    scores = list(evaluation_round.scores.select_related("person").order_by("person__sort_key", "id"))
    findings, rules_missing = pages.findings_of(evaluation_round=evaluation_round, as_of=as_of)
    log_read(request, [s.person_id for s in scores], kind=AccessKind.EVALUATION,
             instance=evaluation_round)  # fmt: skip
    editable = pages.can_edit(user, evaluation_round) and evaluation_round.closed_on is None
    context = {
        "round": evaluation_round,
        "scores": scores,
        "as_of": as_of,
        "as_of_form": as_of_form,
        "findings": findings,
        "rules_missing": rules_missing,
        "can_edit": editable,
        "viewable": in_view_scope(user=user, person_ids=[s.person_id for s in scores]),
    }
    if editable:
        context["score_form"] = forms.get("score") or ScoreForm(user=user)
        context["close_form"] = forms.get("close") or CloseForm(initial={"closed_on": today()})
    return render(request, "reviews/round_detail.html", context, status=status)


def round_for(request, pk, *, edit=False) -> EvaluationRound:
    qs = selectors.rounds(request.user)
    return get_editable(qs, request.user, pk) if edit else get_row_or_404(qs, pk)


class RoundDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_round(request, round_for(request, pk))


class ScoreSetView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evaluation_round = round_for(request, pk, edit=True)
        form = bind(ScoreForm(request.POST, user=request.user), request, EvaluationScore)
        if form.is_valid():
            row = service_call(form, services.score_set, evaluation_round=evaluation_round,
                               **form.cleaned_data)  # fmt: skip
            if row is not None:
                messages.success(request, _("Đã ghi điểm của %(name)s: %(rating)s.")
                                 % {"name": row.person.full_name,
                                    "rating": row.get_rating_display().lower()})  # fmt: skip
                return redirect(round_url(evaluation_round, "scores"))
        return render_round(request, evaluation_round, forms={"score": form})


class RoundCloseView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evaluation_round = round_for(request, pk, edit=True)
        form = bind(CloseForm(request.POST), request, EvaluationRound)
        if form.is_valid() and service_call(form, services.round_close,
                                            evaluation_round=evaluation_round,
                                            **form.cleaned_data):  # fmt: skip
            messages.success(request, _("Đã kết thúc đợt đánh giá; xếp loại đã ghi vào hồ sơ từng "
                                        "cán bộ."))  # fmt: skip
            return redirect(round_url(evaluation_round))
        return render_round(request, evaluation_round, forms={"close": form})
