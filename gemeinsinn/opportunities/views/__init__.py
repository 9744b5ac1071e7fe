"""HTML views of the engagement exchange, one module per area; each lists its own urlpatterns."""
