"""Staff's Markdown made into safe HTML: CommonMark with tables, raw HTML off (so no
markup or script can be smuggled in), and unsafe link schemes refused by the parser."""

from markdown_it import MarkdownIt

from urgentaction.pages.placeholders import fill

MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


def render(text: str) -> str:
    return MARKDOWN.render(fill(text))
