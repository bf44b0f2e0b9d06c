"""Writing customers to Excel and CSV."""
