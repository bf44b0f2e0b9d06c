"""Qt item models over the services (named so they do not clash with crmdesk.models)."""
