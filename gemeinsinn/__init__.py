"""gemeinsinn: the open-source platform for municipal engagement promotion."""

__version__ = "0.1.0"
