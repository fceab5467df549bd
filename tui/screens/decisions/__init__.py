"""Decisions (F8): the list and its form, one decision's record, the passed nominations it
takes, the awards an amendment revokes, and the fund, one screen a module."""
