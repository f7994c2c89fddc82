"""``{% kept_fragment fragment "name" %}...{% endkept_fragment %}``: the part between
kept as HTML by the process under ``fragment.key`` (``lib/fragments.py``), with its
marks filled in each time; rendered as usual when ``fragment`` is empty."""

from django import template
from django.utils.safestring import mark_safe

from urgentaction.lib import fragments

register = template.Library()


class KeptFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, fragment, name: str) -> None:
        self.nodelist = nodelist
        self.fragment = fragment
        self.name = name

    def render(self, context) -> str:
        fragment = self.fragment.resolve(context, ignore_failures=True)
        if not fragment:
            return self.nodelist.render(context)
        key = (self.name, fragment.key)
        html = fragments.kept(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.keep(key, html)
        # The template's own output, with values escaped as it escapes them.
        return mark_safe(fragment.fill(html))  # noqa: S308


@register.tag
def kept_fragment(parser, token) -> KeptFragmentNode:
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a fragment and a name")
    nodelist = parser.parse(("endkept_fragment",))
    parser.delete_first_token()
    return KeptFragmentNode(nodelist, parser.compile_filter(bits[1]), bits[2].strip("\"'"))
