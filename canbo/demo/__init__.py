"""Demo data: one realistic province built from the loaded areas (`canbo seed-demo`).

A Django app only for its `seed-demo` command (it holds no models); it imports the domain
apps, which never import it (ADR 0011).
"""
