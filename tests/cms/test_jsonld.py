"""The one JSON-LD serialiser (cms.jsonld): whatever a producer types stays data."""

from __future__ import annotations

import json
import re

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from cms.jsonld import dumps, script_tag

BLOCK = re.compile(r'^<script type="application/ld\+json">(.*?)</script>$', re.S)


def test_a_name_with_a_closing_script_tag_cannot_end_the_block():
    data = {"@type": "Product", "name": "Mật ong </script><script>alert(1)</script> & <!--"}
    html = str(script_tag(data))
    inner = BLOCK.match(html).group(1)
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == data


@given(st.recursive(st.text(), lambda x: st.lists(x) | st.dictionaries(st.text(), x)))
def test_any_text_round_trips_inside_one_script_block(value):
    html = str(script_tag({"v": value}))
    assert html.count("</script>") == 1 and html.endswith("</script>")
    assert json.loads(BLOCK.match(html).group(1)) == {"v": value}


def test_vietnamese_is_written_as_text_not_escapes():
    assert dumps({"name": "Cà phê"}) == '{"name": "Cà phê"}'


def test_the_template_tag_writes_the_same_block():
    rendered = Template("{% load ocop_tags %}{% jsonld data %}").render(
        Context({"data": {"name": "a</b>"}})
    )
    assert rendered == str(script_tag({"name": "a</b>"}))
