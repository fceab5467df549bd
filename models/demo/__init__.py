"""The demo commune: a realistic, reproducible database built from a seed, with its
names and its award work in progress.
"""
