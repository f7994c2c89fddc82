"""Reading the action form off the campaign page, to post it back as a browser would."""

from html.parser import HTMLParser

# What a person types into the demo page's form: their name and address, "by email".
TYPED = {
    "first_name": "Ada",
    "last_name": "Writer",
    "address_line1": "1 High Street",
    "town": "Leeds",
    "postcode": "LS1 1AA",
    "country": "United Kingdom",
    "channel": "email",
}


class PostForm(HTMLParser):
    """The fields of the page's POST form to ``action``, with the values it renders:
    inputs (checkboxes and radios only when checked), text areas, selected options."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.values: dict[str, str] = {}
        self.names: set[str] = set()
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("method") or "").lower() == "post" and attrs.get(
                "action"
            ) == self.action
        if not self.inside or (not attrs.get("name") and tag != "option"):
            return
        name = attrs.get("name")
        if name:
            self.names.add(name)
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                # A browser sends a box or a choice only when it is ticked.
                if "checked" in attrs:
                    self.values[name] = attrs.get("value") or "on"
            elif kind not in {"submit", "button", "file"}:
                self.values[name] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values[self.select] = attrs.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data
