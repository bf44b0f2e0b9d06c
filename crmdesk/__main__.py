"""``python -m crmdesk`` starts the same app as ``crmdesk`` and ``python main.py``."""
from crmdesk.cli import main

raise SystemExit(main())
