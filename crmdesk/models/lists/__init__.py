"""The registers' column lists, each declared once: the customer list, the overdue list, the
visitor and caller register and the communication log.

A list's columns name their key, heading, kind (``kinds``: width on screen, in Excel and on
paper, alignment, and the text or cell a value becomes) and how the value is read from the
row the list's service gives. The Qt item models, the Excel exports and the printed registers
all read these declarations.
"""
