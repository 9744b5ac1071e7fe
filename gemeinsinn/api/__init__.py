"""REST API wiring: the django-ninja instance under /api/v1/, its auth, errors and routers."""
