"""Registration and reports (F5): the dashboard, a unit's report and registration, the
ranking, the synthesis and the spreadsheet files, one screen a module."""
