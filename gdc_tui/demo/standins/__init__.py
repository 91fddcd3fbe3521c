"""The demo host's stand-in processes: the SCIM server, the agent, the database and the Okta org.

Each runs as `python -m gdc_tui.demo.standins.<name> --context .../context.json` under the demo's
supervisor, on loopback, and behaves the way the real program would given the demo host's files.
"""
