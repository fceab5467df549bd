"""Files in and out: importing and exporting spreadsheets (.xlsx, .csv) by kind, and
the exchange folder an officer's session may read and write.
"""
