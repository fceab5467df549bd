"""The commune's documents in the Decree 30/2020 layout (.docx, .pdf) and their lists
(.xlsx): builder.py lays a document out, one module per kind fills it, kinds.py names
what `thidua export KIND ID` can produce."""
