"""Synthetic editions for demos, manual testing and benchmarks (`crunchtime demo`).

Only the pure generator is exported here; `crunchtime.demo.loader` needs the app.
"""

from crunchtime.demo.cohort import Cohort, generate_cohort

__all__ = ["Cohort", "generate_cohort"]
