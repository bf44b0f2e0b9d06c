"""crmdesk: a desktop customer archive (客户档案系统) for one branch office."""

__version__ = "0.1.0"
