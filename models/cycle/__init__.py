"""The yearly cycle up to the awards: campaigns and content areas, registration,
unit reports with deadlines and scoring, and the Office's synthesis.
"""
