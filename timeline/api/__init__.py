"""The read-only JSON API under /api/v1/: the published record for other
newsrooms, researchers and mirrors. Its OpenAPI schema is at /api/schema/ and
its documentation at /api/docs/."""
