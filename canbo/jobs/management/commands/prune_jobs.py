"""`canbo prune-jobs`: delete background jobs finished more than CANBO_JOB_KEEP_HOURS ago,
with their files, and close running jobs whose worker went silent. Starting a job prunes
too; run this daily (cron, systemd timer) so files do not wait for the next job."""

from django.core.management.base import BaseCommand

from canbo.jobs import services


class Command(BaseCommand):
    help = "Xóa các công việc nền đã xong quá thời hạn lưu (cùng tệp của chúng)."

    def handle(self, *args, **options):
        deleted = services.prune()
        self.stdout.write(f"Đã xóa {deleted} công việc nền cũ.")
