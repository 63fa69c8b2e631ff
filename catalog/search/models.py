"""The database engine's denormalised search documents: one row per searchable product.

A row holds everything a result card and the facets need, so a search never touches the page
tree. SQLite indexes `title_folded`/`body_folded` with an FTS5 table kept in sync by triggers;
PostgreSQL with a generated, GIN-indexed tsvector column (both created in migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    product = models.OneToOneField(
        "catalog.ProductPage",
        on_delete=models.CASCADE,
        related_name="search_document",
        help_text=_("The source (Vietnamese) product page."),
    )
    translation_key = models.UUIDField(db_index=True)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    producer_name = models.CharField(max_length=255, blank=True)
    # Producer, province, group names, variants, ingredients: searched, never shown.
    body = models.TextField(blank=True)
    # Folded tokens joined by spaces: what full-text search matches.
    title_folded = models.TextField()
    body_folded = models.TextField(blank=True)
    # ' nước mắm phan thiết … ': lower-case words with diacritics, for the exact-accent boost.
    exact_text = models.TextField(blank=True)
    group_id = models.IntegerField(db_index=True)
    group_top_id = models.IntegerField(db_index=True)
    province_code = models.PositiveSmallIntegerField(db_index=True)
    stars = models.PositiveSmallIntegerField(db_index=True)
    producer_kind = models.CharField(max_length=3, db_index=True)
    min_price = models.PositiveIntegerField(null=True, db_index=True)
    in_stock = models.BooleanField(default=True)
    variant_count = models.PositiveSmallIntegerField(default=0)
    certified_until = models.DateField(db_index=True)
    published_at = models.DateTimeField(db_index=True)
    image_id = models.IntegerField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "catalog_search_document"
        indexes = [
            # Covers every facet count and filter without reading the wide text columns.
            models.Index(
                fields=[
                    "certified_until",
                    "group_top_id",
                    "group_id",
                    "province_code",
                    "stars",
                    "producer_kind",
                    "min_price",
                ],
                name="search_document_facets",
            ),
        ]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.title

    def as_dict(self) -> dict:
        """The document as plain data (what the Elasticsearch engine indexes)."""
        return {
            "product_id": self.product_id,
            "translation_key": str(self.translation_key),
            "title": self.title,
            "title_sort": self.title_folded,
            "summary": self.summary,
            "producer_name": self.producer_name,
            "body": self.body,
            "group_id": self.group_id,
            "group_top_id": self.group_top_id,
            "province_code": self.province_code,
            "stars": self.stars,
            "producer_kind": self.producer_kind,
            "min_price": self.min_price,
            "in_stock": self.in_stock,
            "variant_count": self.variant_count,
            "certified_until": self.certified_until.isoformat(),
            "published_at": self.published_at.isoformat(),
            "image_id": self.image_id,
        }


class SearchTerm(models.Model):
    """Every folded word of the catalogue: the vocabulary typo correction looks words up in.

    Rows are added as documents are indexed and pruned by a rebuild; a stale word only ever
    yields a correction that matches nothing.
    """

    term = models.CharField(max_length=64, unique=True)

    class Meta:
        db_table = "catalog_search_term"

    def __str__(self) -> str:
        return self.term


class SearchIndexState(models.Model):
    """One row whose token changes on every write to the documents (see facets.py)."""

    token = models.UUIDField()

    class Meta:
        db_table = "catalog_search_state"

    def __str__(self) -> str:
        return str(self.token)
