"""The card editor, built from the card definition."""
