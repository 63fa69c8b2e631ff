"""Load the OCOP taxonomy and criteria sets from `catalog/data/` (idempotent upserts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def load_reference_data(apps: Any = None) -> None:
    """Create or update groups and criteria sets. Works inside migrations (pass `apps`)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    OcopGroup = apps.get_model("catalog", "OcopGroup")
    CriteriaSet = apps.get_model("catalog", "CriteriaSet")

    taxonomy = json.loads((DATA_DIR / "ocop_groups.json").read_text(encoding="utf-8"))
    for scheme, roots in taxonomy.items():
        if scheme.startswith("_"):
            continue

        def walk(nodes: list[dict], parent=None, depth: int = 1, scheme: str = scheme) -> None:
            for node in nodes:
                group, _ = OcopGroup.objects.update_or_create(
                    scheme=scheme,
                    code=node["code"],
                    defaults={
                        "slug": node["slug"],
                        "name": node["name"],
                        "name_en": node.get("name_en", ""),
                        "parent": parent,
                        "depth": depth,
                    },
                )
                walk(node.get("children", []), group, depth + 1)

        walk(roots)

    for row in json.loads((DATA_DIR / "criteria_sets.json").read_text(encoding="utf-8")):
        CriteriaSet.objects.update_or_create(code=row["code"], defaults=row)
