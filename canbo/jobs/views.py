"""Pages of background work: my jobs, one job with its progress bar (refreshed by htmx
until it ends), its file, cancelling it. A job is its owner's alone: for anyone else its
address does not exist (404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from . import selectors, services


def job_or_404(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404(_("Không tìm thấy công việc này (có thể đã quá hạn lưu)."))
    return job


def with_pages(jobs):
    """Each job with `page`: where its result is shown, for work whose result is a page."""
    for job in jobs:
        job.page = services.result_page(job)
    return jobs


class JobListView(LoginRequiredMixin, View):
    def get(self, request):
        jobs = with_pages(list(selectors.job_list(user=request.user)))
        return render(request, "jobs/job_list.html", {"jobs": jobs})


class JobDetailView(LoginRequiredMixin, View):
    """The page; with HX-Request, the progress fragment alone (polled while open)."""

    def get(self, request, pk):
        job = with_pages([job_or_404(request, pk)])[0]
        template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/job_detail.html"
        context = {"job": job, "keep_hours": settings.CANBO_JOB_KEEP_HOURS}
        return render(request, template, context)


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = job_or_404(request, pk)
        try:
            path = services.fetch(request.user, job)
        except FileNotFoundError:
            raise Http404(_("Tệp của công việc này chưa có hoặc không còn.")) from None
        response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name,
                                content_type=job.content_type)  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response


class JobCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        job = job_or_404(request, pk)
        if not services.cancel(job) and job.is_open:
            messages.warning(request, _("Công việc đang ghi dữ liệu nên không dừng được nữa; "
                                        "hãy chờ đến khi xong."))  # fmt: skip
        return redirect("jobs:detail", pk=job.pk)
