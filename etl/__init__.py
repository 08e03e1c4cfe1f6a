"""ETL: reference data, demo data and KL's exports into one DuckDB file."""
