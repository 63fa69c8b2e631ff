"""What a browser posts back for a Wagtail admin form as rendered: its current values, inline
formsets and their management forms, and StreamFields either with the block editor's data or
sent empty. Used by the admin scoping walk and the forged-post tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from wagtail import blocks
from wagtail.blocks.base import BlockWidget


def block_data(block, state: Any, prefix: str, data: dict[str, str]) -> None:
    """The names and values Wagtail's block editor posts for a block's form state."""
    if isinstance(block, blocks.StreamBlock):
        data[f"{prefix}-count"] = str(len(state))
        for i, child in enumerate(state):
            data[f"{prefix}-{i}-type"] = child["type"]
            data[f"{prefix}-{i}-deleted"] = ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-id"] = child["id"] or ""
            block_data(
                block.child_blocks[child["type"]], child["value"], f"{prefix}-{i}-value", data
            )
    elif isinstance(block, blocks.ListBlock):
        data[f"{prefix}-count"] = str(len(state))
        for i, child in enumerate(state):
            data[f"{prefix}-{i}-deleted"] = ""
            data[f"{prefix}-{i}-order"] = str(i)
            data[f"{prefix}-{i}-id"] = child["id"] or ""
            block_data(block.child_block, child["value"], f"{prefix}-{i}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            block_data(child, state.get(name), f"{prefix}-{name}", data)
    elif state is not None:
        data[prefix] = str(state)


def field_value(field: forms.Field, value: Any) -> Any:
    """A bound field's value as the browser sends it (None: not sent, e.g. an unticked box)."""
    if isinstance(value, list | tuple | models.QuerySet):
        return [str(getattr(v, "pk", v)) for v in value]
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    prepared = field.widget.format_value(field.prepare_value(value))  # as rendered
    return None if prepared is None else prepared if isinstance(prepared, list) else str(prepared)


def form_data(form, data: dict[str, Any], streams: bool = True) -> dict[str, Any]:
    """What a browser would post back for the form as rendered; StreamFields with their block
    data (`streams`), or sent empty."""
    for bound in form:
        if isinstance(bound.field.widget, BlockWidget):
            if streams:
                block = bound.field.block
                block_data(block, block.get_form_state(bound.value()), bound.html_name, data)
            else:
                data[f"{bound.html_name}-count"] = "0"
            continue
        value = field_value(bound.field, bound.value())
        if value is not None:
            data[bound.html_name] = value
    for formset in getattr(form, "formsets", {}).values():
        for bound in formset.management_form:
            data[bound.html_name] = str(bound.value() or 0)
        for child in formset.forms:
            form_data(child, data, streams)
    return data
