"""Production's static storage gives each file the URL WhiteNoise's gives, worked out once."""

from __future__ import annotations

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from cms.staticfiles import StaticFilesStorage


@pytest.fixture
def location(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps(
            {
                "version": "1.1",
                "paths": {"css/site.css": "css/site.0123abcd.css", "js/a b.js": "js/a b.9f.js"},
                "hash": "x",
            }
        )
    )
    return tmp_path


@pytest.mark.parametrize("name", ["css/site.css", "js/a b.js", "css/site.css#top", "img/"])
def test_urls_are_whitenoises(location, name):
    ours = StaticFilesStorage(location=location, base_url="/static/")
    theirs = CompressedManifestStaticFilesStorage(location=location, base_url="/static/")
    assert ours.url(name) == theirs.url(name)
    assert ours.url(name) == theirs.url(name)  # the kept answer


def test_a_name_missing_from_the_manifest_is_refused_every_time(location):
    storage = StaticFilesStorage(location=location, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError):
            storage.url("css/missing.css")
