"""Spiders of the treaty-tracker crawler."""
