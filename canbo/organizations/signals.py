"""Domain events of organizations, for the apps above it to act on.

Organizations imports no other domain app (ADR 0011): when one of its writes changes
something that another app derives values from, it sends an event here and that app
receives it (connected in its AppConfig.ready). Receivers run synchronously, inside the
sender's transaction, so a failing receiver rolls the write back.
"""

from django.dispatch import Signal

#: A unit's own area changed, so the area its subtree governs may have changed:
#: people derive "local" from it. Sent as `unit_area_changed.send(sender=Unit, unit=unit)`
#: by `services.unit_update` (and by the data-package import for each unit whose area it
#: changed); keyword argument `unit`: the Unit, already saved.
unit_area_changed = Signal()
