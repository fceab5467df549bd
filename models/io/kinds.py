"""What `thidua import` and `thidua export` accept, apart from models/io/spreadsheets.py.

The command line lists these when it builds its parser, on every start of the
app too; importing the whole spreadsheet module (and the reports and scoring it
needs) only for that cost about a sixth of a bare Textual app's start-up
(benchmarks/run.py). models/io/spreadsheets.py re-exports them.
"""
IMPORT_KINDS = {"units": "đơn vị", "households": "hộ gia đình", "people": "người"}
EXPORT_KINDS = {"units": "đơn vị", "households": "hộ gia đình", "people": "người",
                "awards": "lịch sử khen thưởng", "campaigns": "phong trào",
                "registrations": "bản đăng ký thi đua",
                "dashboard": "tình hình báo cáo", "ranking": "xếp hạng đơn vị"}
NEEDS_CAMPAIGN = {"dashboard", "ranking", "registrations"}
