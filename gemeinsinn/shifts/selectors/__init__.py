"""Reads of the shifts app, scoped to a municipality and the acting person."""
