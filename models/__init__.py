"""The domain: tables and every business operation, by stage of the yearly cycle.
Never imports Textual: whatever a screen does, a test or the command line can do."""
