"""Tools for the CAR T-cell case-report data package: validation, loading, figures."""
