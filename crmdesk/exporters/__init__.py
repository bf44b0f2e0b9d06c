"""Writing customers, the register of visits, communication logs and the overdue list to
Excel and CSV."""

# The lists an export can write; here, light to import, for the command line's choices.
EXPORTS = ("customers", "visits", "communications", "overdue")
