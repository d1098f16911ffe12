"""Saylau: a public results dashboard for Kazakhstan's Mazhilis and maslikhat elections."""

__version__ = "0.1.0"
