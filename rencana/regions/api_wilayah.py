"""Public region API (search, detail, boundaries)."""

from ninja import Router

router = Router(tags=["wilayah"])
