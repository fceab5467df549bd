"""The council (Hội đồng Thi đua - Khen thưởng): members and terms, sessions with
attendance and agenda, ballots open and secret, the minutes, and the console's board."""
