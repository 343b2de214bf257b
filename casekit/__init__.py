"""Tools for the Baur 2022 case-report data package: validation, loading, figures."""
