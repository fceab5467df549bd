"""Nominations (F6): the list and its forms, one nomination's record, the public posting,
the villages' Gia đình văn hóa review and the good-deed records, one screen a module."""
