"""Qt user interface of crmdesk."""
