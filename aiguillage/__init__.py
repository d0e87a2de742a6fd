"""Aiguillage: triage suggestions for the administrative mediators of the Caf."""

__version__ = "0.1.0"
