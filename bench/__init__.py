"""Benchmarks of the error path against DRF's default handler and the peers.

Run with ``make bench``; see ``docs/benchmarks.md``.
"""
