"""Printed archive cards and registers, made with ReportLab.

Headless: this package takes plain data (see ``inputs``) and never queries the archive;
``crmdesk.services.printouts`` gathers that data. The public entry points are in ``render``.
"""
