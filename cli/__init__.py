"""The `thidua` command line, the second user interface beside the app: the
administrative commands, imports and exports, and opening the app itself."""
