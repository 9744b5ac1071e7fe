"""Shared kernel: tenancy (Land, Landkreis, municipality, Stadtteil), module switches, audit log,
outbox, privacy registry, the UI shell and health checks. It imports no other gemeinsinn app."""
