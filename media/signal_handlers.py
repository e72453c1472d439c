"""Wiring of the media pipeline to model events (written with media.jobs)."""
