"""Helpers shared by the test suites: certificates, loopback servers, fake programs, privilege drop.

Import them as `from helpers.tls import make_cert` (tests/ is on sys.path through tests/conftest.py).
"""
