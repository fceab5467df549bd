"""Setting up the commune server: `thidua doctor`'s checks and the officers' SSH
keys in the service account's authorized_keys.
"""
