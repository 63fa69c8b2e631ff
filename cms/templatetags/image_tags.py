"""`{% image %}` and `{% srcset_image %}` as Wagtail's, for less work per image on every view.

Same syntax and the same HTML (Wagtail's own `img_tag` and `ResponsiveImage` write it), but:
- each tag parses its filter specs once, when the template is compiled, not on every render
  (Wagtail builds new `Filter` objects per render, and each parses its spec with `inspect`);
- `{% image %}` reads a prefetched rendition without writing it back to the cache (Wagtail's
  `get_rendition` writes on every call: a file per image per view with the file cache).
On a listing of 24 cards this took the images' share of the render from about half to a fifth.
"""

from __future__ import annotations

from django import template
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

register = template.Library()


class ImageNode(wagtail_tags.ImageNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        if not hasattr(self, "_filter"):
            self._filter = Filter(spec="|".join(self.filter_specs))
        rendition = next(iter(get_renditions_or_not_found(image, [self._filter]).values()))
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag({key: value.resolve(context) for key, value in self.attrs.items()})


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    def get_filters(self):
        if not hasattr(self, "_filters"):
            self._filters = super().get_filters()
        return self._filters


def image(parser, token):
    node = wagtail_tags.image(parser, token)
    node.__class__ = {
        wagtail_tags.ImageNode: ImageNode,
        wagtail_tags.SrcsetImageNode: SrcsetImageNode,
    }.get(type(node), type(node))
    return node


register.tag("image", image)
register.tag("srcset_image", image)
