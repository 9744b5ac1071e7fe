"""Demo data: realistic German municipalities, organisations and people at the planning scales,
created through the services, deterministic from a seed."""
