"""The council's screens (F7): the console of a session, a member's ballot,
attendance, written opinions, opening a ballot, and the council's members."""
