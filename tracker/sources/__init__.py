"""Readers of the depositaries' status pages, one package per source.

``tracker.sources.untc``: the UN Secretary-General's MTDSG status pages (treaties.un.org).
Each reader is pure: page text in, :mod:`tracker.domain` objects out.
"""
