"""What `thidua import` and `thidua export` accept, apart from the modules that do it.

The command line lists these when it builds its parser, on every start of the
app too; importing the export sheets (and the reports and scoring they need)
only for that cost about a sixth of a bare Textual app's start-up
(benchmarks/run.py).
"""
IMPORT_KINDS = {"units": "đơn vị", "households": "hộ gia đình", "people": "người",
                "ratings": "xếp loại hằng năm", "initiatives": "sáng kiến, đề tài",
                "discipline": "kỷ luật, điều tra, thanh tra, khiếu nại",
                "awards": "khen thưởng trước đây", "nominations": "danh sách đề nghị khen thưởng"}
EXPORT_KINDS = {"units": "đơn vị", "households": "hộ gia đình", "people": "người",
                "ratings": "xếp loại hằng năm", "initiatives": "sáng kiến, đề tài",
                "discipline": "kỷ luật, điều tra, thanh tra, khiếu nại",
                "awards": "lịch sử khen thưởng", "campaigns": "phong trào",
                "registrations": "bản đăng ký thi đua",
                "dashboard": "tình hình báo cáo", "ranking": "xếp hạng đơn vị"}
NEEDS_CAMPAIGN = {"dashboard", "ranking", "registrations"}
