"""gdc-tui: the troubleshooting wizard for Okta's On-prem Connector for Generic Databases."""

__version__ = "0.1.0"
