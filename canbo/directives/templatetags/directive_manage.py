"""`{% hearing_manage as manage %}`: what the hearing card shows an editor of the
directive's issuing unit (None for anyone else); see `manage_views.manage_context`."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def hearing_manage(context):
    from canbo.directives.manage_views import manage_context

    return manage_context(context)
