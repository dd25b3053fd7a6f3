"""Read a Wagtail admin form the way a browser would, so tests can post it back through the
real admin URLs (inline formsets, rich text and the recurrence widget included)."""

from html.parser import HTMLParser


class _FormScraper(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._textarea_value = ""
        self._select: str | None = None
        self._select_multiple = False
        self._select_chosen: list[str] = []
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._option_selected = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.in_form:
            if self.form_id is None or attrs.get("id") == self.form_id:
                self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value") or "on"))
                return
            self.data.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._textarea_value = name, ""
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            self._select_chosen, self._select_first = [], None
        elif tag == "option" and self._select:
            self._option_value = attrs.get("value")
            self._option_text = ""
            self._option_selected = "selected" in attrs

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_value += data
        if self._option_value is not None or (self._select and self._option_selected is not None):
            self._option_text += data

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, self._textarea_value))
            self._textarea = None
        elif tag == "option" and self._select:
            value = self._option_value if self._option_value is not None else self._option_text
            if self._select_first is None:
                self._select_first = value
            if self._option_selected:
                self._select_chosen.append(value)
            self._option_value, self._option_selected = None, False
        elif tag == "select" and self._select:
            chosen = self._select_chosen
            if not chosen and not self._select_multiple and self._select_first is not None:
                chosen = [self._select_first]
            self.data.extend((self._select, value) for value in chosen)
            self._select = None


def scrape_form(html: str, form_id: str | None = "page-edit-form") -> dict[str, list[str] | str]:
    """The fields a browser would submit, as a dict suitable for the Django test client."""
    scraper = _FormScraper(form_id)
    scraper.feed(html)
    result: dict[str, list[str]] = {}
    for name, value in scraper.data:
        result.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in result.items()}
