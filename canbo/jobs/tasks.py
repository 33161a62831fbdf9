"""The one task canbo enqueues: run a recorded job (`services.run`)."""

from django_tasks import task

from . import services


@task()
def run_job(job_id: str) -> str:
    return services.run(job_id)
