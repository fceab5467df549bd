"""Awards: nominations and their dossiers, eligibility rules, decisions with their
money, the fund, bulk household awards, recognition and the award history.
"""
