"""Analysis-ready views of the package: typed pandas frames, SQLite, data dictionary, clinical-course figure."""
