"""GET /api/jobs/ (the user's recent background work), /api/jobs/{id}/ (one job, its
progress) and /api/jobs/{id}/file/ (its file once done): what a script needs to follow
work started on a page. A job is its owner's alone: anyone else's id answers as an id no
job has (404). The file is refused (403) when the user no longer sees what they saw when
they asked (`services.fetch`)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action

from . import selectors, services
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "status_display", "done", "total", "percent",
                  "stage", "cancellable", "message", "file_name", "file_size", "has_file", "created_at",
                  "started_at", "finished_at"]  # fmt: skip
        read_only_fields = fields

    def get_has_file(self, job: Job) -> bool:
        return job.status == "done" and bool(job.file_key)


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JobSerializer
    pagination_class = None
    filter_backends: list = []
    strict_query_params = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return selectors.job_list(user=self.request.user)

    def get_object(self) -> Job:
        job = selectors.job_get(user=self.request.user, pk=self.kwargs["pk"])
        if job is None:
            raise exceptions.NotFound()
        return job

    @extend_schema(summary=_("Tệp của một công việc nền đã xong"),
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})  # fmt: skip
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def file(self, request, pk=None):
        job = self.get_object()
        try:
            path = services.fetch(request.user, job)
        except FileNotFoundError:
            raise exceptions.NotFound(_("Tệp của công việc này chưa có hoặc không còn.")) from None
        response = FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name,
                                content_type=job.content_type)  # fmt: skip
        response["Cache-Control"] = "no-store"
        return response
