"""Structural accessibility of public pages: landmarks, alt text, labels, language."""

from html.parser import HTMLParser

import pytest

from catalog.demo import add_gallery
from tests.factories import make_product


class _Audit(HTMLParser):
    """Every start tag with its attributes; a field inside an open <label> gets the
    pseudo-attribute "inside-label" (a wrapping label names its field, like for="id")."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.open_labels:
            attrs["inside-label"] = True
        self.open_labels += tag == "label"
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "label" and self.open_labels:
            self.open_labels -= 1


def audit(html: str) -> list[tuple[str, dict]]:
    parser = _Audit()
    parser.feed(html)
    return parser.tags


@pytest.fixture
def pages(producer, site):
    page = make_product(producer, title="Chè Tân Cương", stars=4)
    add_gallery(page, producer, count=2)
    page.get_latest_revision().publish()
    return [
        "/vi/",
        "/en/",
        "/vi/san-pham/",
        page.url,
        producer.pages.get(locale__language_code="vi").url,
    ]


def test_public_pages_have_landmarks_alt_text_and_labels(client, pages):
    for url in pages:
        html = client.get(url).content.decode()
        tags = audit(html)
        names = [t for t, _ in tags]
        assert {"header", "main", "footer", "nav"} <= set(names), url
        assert any(t == "html" and a.get("lang") in ("vi", "en") for t, a in tags), url
        for tag, attrs in tags:
            if tag == "img":
                assert attrs.get("alt"), (url, attrs)
            if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden",
                "submit",
            ):
                field_id = attrs.get("id")
                assert (
                    attrs.get("aria-label")
                    or attrs.get("inside-label")
                    or (field_id and f'for="{field_id}"' in html)
                ), (url, attrs)


def test_pages_load_no_third_party_resources(client, pages):
    for url in pages:
        for tag, attrs in audit(client.get(url).content.decode()):
            for attr in ("src", "href"):
                value = attrs.get(attr) or ""
                if tag in ("img", "script", "link") and value.startswith(
                    ("http://", "https://", "//")
                ):
                    assert value.startswith("http://127.0.0.1:8000") or attrs.get("rel") in (
                        "canonical",
                        "alternate",
                    ), (url, tag, value)
