"""wfm: workforce planning for contact centres.

Stages (each a plain library module, the CLI in :mod:`wfm.cli` is a thin shell over them):
forecast -> staffing (Erlang C / A) -> roster (PuLP MILP) -> ratio check -> what-if.
"""

__version__ = "0.1.0"
