"""URLs of the pages that write directives and tasks (create, edit, assign)."""

urlpatterns: list = []
