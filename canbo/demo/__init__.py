"""Demo data: one realistic province built from the loaded areas (`canbo seed-demo`).

A plain package, not a Django app: it holds no models.
"""
