"""URLs of the pages that manage hearing schedules and monitoring groups."""

urlpatterns: list = []
