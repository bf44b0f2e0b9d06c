"""Reading spreadsheets into archive cards: guards, readers, column mapping, cleaning, the pipeline."""
