"""Setting up the commune server: `thidua doctor`'s checks (doctor, files_door,
probe), the officers' SSH keys in the service account's authorized_keys
(ssh_keys), their file door over sftp (sftp), and printing (printing).
"""
