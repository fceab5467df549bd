"""Files in and out: spreadsheet import and export, one module per kind sharing one
reader and one writer, and the exchange folder an officer's session may use.
"""
