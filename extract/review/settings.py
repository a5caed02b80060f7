"""Settings of the review app (section ``review`` of ``configs/pipeline.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ReviewSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    port: int = Field(8765, ge=0, le=65535)
    """Default port (0: any free port); the host is 127.0.0.1 unless ``--host`` says otherwise."""
    page_cache: int = Field(8, ge=1)
    """Prepared page images kept in memory."""
    document_cache: int = Field(32, ge=1)
    """Documents (as the run finished them) kept in memory for re-validation."""
    crop_margin_mm: float = Field(4.0, ge=0)
    """Page shown around a cell's crop, millimetres (scaled with the page's DPI)."""
    overlay_max_width: int = Field(1400, ge=200)
    """The page overlay is scaled down to this width, pixels."""
    overlay_jpeg_quality: int = Field(80, ge=10, le=100)
    queue_page_size: int = Field(100, ge=1)
    """Rows per page of the queue view."""

    @classmethod
    def from_config(cls, config_dir: str | None = None) -> ReviewSettings:
        from ..config import load_config

        return load_config(config_dir).review


__all__ = ["ReviewSettings"]
