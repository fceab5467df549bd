"""Who and what the commune has: units, people, households, user accounts, and who
may act on which unit (access).
"""
