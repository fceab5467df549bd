"""The fixed material of the demo commune: names, units, content areas, initiatives.

Kept apart from `models/demo/build.py` so that the builder reads as a procedure and
this file as the data an officer would recognise. All text is NFC.
"""
from __future__ import annotations

from dataclasses import dataclass

# Family names with their approximate share (per cent) of the population of a
# south-central commune: Huỳnh and Võ are the local spellings of Hoàng and Vũ.
FAMILY_NAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Huỳnh", 3), ("Hoàng", 2),
    ("Phan", 4.5), ("Võ", 3), ("Vũ", 1), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Trương", 0.8), ("Đinh", 0.7),
    ("Đào", 0.6), ("Lương", 0.5), ("Mai", 0.5), ("Cao", 0.4), ("Tô", 0.3), ("Châu", 0.3),
    ("Đoàn", 0.9), ("Hà", 0.6), ("Lâm", 0.5), ("Phùng", 0.4), ("Thái", 0.4), ("Tạ", 0.3),
    ("Từ", 0.3), ("Kiều", 0.3), ("Triệu", 0.3), ("La", 0.2),
)

# The first middle name is the traditional one (Văn, Thị), far more common among
# people born before 1980; the rest are chosen evenly.
MIDDLE_NAMES = {
    "M": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Công", "Thành", "Ngọc", "Xuân", "Đình",
          "Quang", "Tấn", "Thanh", "Trọng", "Anh", "Gia", "Hoàng", "Nhật"),
    "F": ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Thúy", "Phương",
          "Như", "Hoài", "Diệu", "Minh", "Bảo", "Khánh", "Tuyết", "Cẩm"),
}

GIVEN_NAMES = {
    "M": ("An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương",
          "Đạt", "Định", "Đông", "Đức", "Giang", "Hải", "Hào", "Hậu", "Hiếu", "Hiển",
          "Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khang", "Khánh", "Khoa", "Kiên", "Lâm",
          "Lộc", "Long", "Luân", "Lực", "Lợi", "Mạnh", "Minh", "Nam", "Nghĩa", "Nhân",
          "Nhật", "Nhơn", "Phát", "Phong", "Phú", "Phúc", "Phước", "Quang", "Quân", "Quốc",
          "Sang", "Sơn", "Tài", "Tâm", "Tấn", "Thái", "Thắng", "Thanh", "Thành", "Thiện",
          "Thịnh", "Thông", "Thuận", "Tiến", "Tín", "Toàn", "Trí", "Triều", "Trọng", "Trung",
          "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Vương", "Xuân", "Hiệp", "Tình"),
    "F": ("An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Diễm", "Diệp", "Dung", "Duyên",
          "Đào", "Giang", "Hà", "Hạnh", "Hằng", "Hậu", "Hiền", "Hoa", "Hòa", "Hồng",
          "Huệ", "Hương", "Hường", "Huyền", "Khánh", "Kiều", "Lài", "Lan", "Lệ", "Liên",
          "Liễu", "Linh", "Loan", "Ly", "Lý", "Mai", "Mơ", "My", "Mỹ", "Nga",
          "Ngân", "Ngọc", "Nguyệt", "Nhàn", "Nhạn", "Nhi", "Nhung", "Như", "Oanh", "Phấn",
          "Phương", "Phượng", "Quyên", "Quỳnh", "Sen", "Sương", "Tâm", "Thanh", "Thảo", "Thắm",
          "Thơ", "Thu", "Thủy", "Thúy", "Thư", "Thương", "Tiên", "Trang", "Trâm", "Trinh",
          "Tuyền", "Tuyết", "Uyên", "Vân", "Vi", "Vy", "Xuân", "Yến", "Nương", "Hiên"),
}


@dataclass(frozen=True)
class Post:
    """A position someone holds in a unit, and who may plausibly hold it."""
    position: str
    born: tuple[int, int] = (1966, 2001)  # working age in the demo's years
    gender: str = ""                       # "" = anyone


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: str
    head: Post
    staff: Post | None = None   # the post of the other staff members (cán bộ, công chức)
    size: int = 1               # staff including the head
    parent: str | None = None   # name of the parent unit


def _department(name: str, size: int, head: str = "", staff: str = "",
                parent: str | None = None) -> UnitSpec:
    staff_post = Post(staff or f"Công chức {name}")
    return UnitSpec(name, "department", Post(head) if head else staff_post, staff_post,
                    size, parent)


# About forty officials, as in a commune People's Committee (the leaders are below).
DEPARTMENTS = (
    _department("Văn phòng - Thống kê", 6),
    _department("Tài chính - Kế toán", 4),
    _department("Văn hóa - Xã hội", 5),
    _department("Đài truyền thanh xã", 2, "Phụ trách Đài truyền thanh",
                "Nhân viên Đài truyền thanh", parent="Văn hóa - Xã hội"),
    _department("Địa chính - Xây dựng", 5),
    _department("Tư pháp - Hộ tịch", 4),
    _department("Công an xã", 8, "Trưởng Công an xã", "Cán bộ Công an xã"),
    _department("Quân sự xã", 6, "Chỉ huy trưởng Ban Chỉ huy Quân sự xã",
                "Cán bộ Ban Chỉ huy Quân sự xã"),
)
OFFICE = DEPARTMENTS[0].name
FINANCE = DEPARTMENTS[1].name

# The leaders of the People's Committee, chairman first: staff without a department.
LEADERS = (Post("Chủ tịch UBND xã", (1966, 1985)),
           Post("Phó Chủ tịch UBND xã", (1968, 1988)),
           Post("Phó Chủ tịch UBND xã", (1968, 1988)))

FRONT = UnitSpec("Ủy ban MTTQ Việt Nam xã", "front",
                 Post("Chủ tịch Ủy ban MTTQ Việt Nam xã", (1962, 1980)))
ASSOCIATIONS = (
    UnitSpec("Hội Nông dân", "association", Post("Chủ tịch Hội Nông dân", (1962, 1985)),
             parent=FRONT.name),
    UnitSpec("Hội Liên hiệp Phụ nữ", "association",
             Post("Chủ tịch Hội Liên hiệp Phụ nữ", (1970, 1990), "F"), parent=FRONT.name),
    UnitSpec("Đoàn Thanh niên", "association", Post("Bí thư Đoàn xã", (1991, 2000)),
             parent=FRONT.name),
    UnitSpec("Hội Cựu chiến binh", "association",
             Post("Chủ tịch Hội Cựu chiến binh", (1950, 1965), "M"), parent=FRONT.name),
    UnitSpec("Hội Người cao tuổi", "association",
             Post("Chủ tịch Hội Người cao tuổi", (1945, 1960)), parent=FRONT.name),
)
VILLAGES = tuple(UnitSpec(name, "village", Post("Trưởng thôn", (1955, 1990))) for name in (
    "Thôn Phú Thứ", "Thôn Mỹ Thạnh Đông", "Thôn Mỹ Thạnh Tây", "Thôn Mỹ Thạnh Trung",
    "Thôn Phước Mỹ", "Thôn Cảnh Tịnh", "Thôn Phú Nông", "Thôn Mỹ Điền"))
# A unit name may carry {commune}, the commune's name from the configuration.
COOPERATIVE = UnitSpec("Hợp tác xã NN KD DV {commune}", "cooperative",
                       Post("Giám đốc Hợp tác xã", (1962, 1985)))
ENTERPRISES = tuple(UnitSpec(name, "enterprise", Post("Giám đốc", (1965, 1990))) for name in
                    ("Công ty TNHH Xây dựng Phú Thứ",
                     "Doanh nghiệp tư nhân Chế biến nông sản Mỹ Điền"))

# Every unit of the demo, parents before their sub-units.
UNITS = (*DEPARTMENTS, *VILLAGES, COOPERATIVE, *ENTERPRISES, FRONT, *ASSOCIATIONS)


@dataclass(frozen=True)
class Membership:
    """Ordinary members of a unit (hội viên, đoàn viên...): the share of those who
    fit the post that join."""
    unit: str
    post: Post
    share: float


# Tried in this order: a person joins the first unit that takes them.
MEMBERSHIPS = (
    Membership("Đoàn Thanh niên", Post("Đoàn viên", (1996, 2008)), 0.5),
    Membership("Hội Cựu chiến binh", Post("Hội viên", (1945, 1975), "M"), 0.15),
    Membership("Hội Người cao tuổi", Post("Hội viên", (1940, 1966)), 0.6),
    Membership("Hội Liên hiệp Phụ nữ", Post("Hội viên", (1950, 2008), "F"), 0.45),
    Membership("Hội Nông dân", Post("Hội viên", (1958, 2000)), 0.25),
    Membership(COOPERATIVE.name, Post("Thành viên Hợp tác xã", (1960, 2000)), 0.04),
    *(Membership(e.name, Post("Công nhân", (1981, 2006)), 0.02) for e in ENTERPRISES),
)

# The movements. The 2023 theme is the seed plan's; the current year's is the
# demo's own.
THEMES = {
    2023: "Đoàn kết kỷ cương, bản lĩnh linh hoạt, đổi mới sáng tạo, kịp thời hiệu quả",
    2026: "Đoàn kết, kỷ cương, chủ động, sáng tạo, phát triển bứt phá",
}
NATIONAL_MOVEMENTS = (
    "Cả nước chung sức xây dựng nông thôn mới",
    "Vì người nghèo - Không để ai bị bỏ lại phía sau",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "Người tốt, việc tốt",
)

# Part II of the seed plan, each area shortened to its first clause (area 2 names the
# commune's resolution without its number and date, so that it fits every year:
# {year} is the movement's). Criteria and points are the demo's (100 points in all).
AREAS = (
    ("Tiếp tục tuyên truyền, quán triệt tư tưởng của Chủ tịch Hồ Chí Minh về thi đua yêu "
     "nước",
     (("Tổ chức quán triệt, tuyên truyền đến cán bộ, hội viên, nhân dân", 5),
      ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 5))),
    ("Triển khai thực hiện có hiệu quả Nghị quyết của HĐND xã về nhiệm vụ kinh tế - xã hội, "
     "quốc phòng - an ninh năm {year}",
     (("Xây dựng kế hoạch cụ thể bám sát nhiệm vụ chính trị", 5),
      ("Hoàn thành các chỉ tiêu kinh tế - xã hội được giao", 5),
      ("Thu ngân sách đạt và vượt dự toán", 5),
      ("Bảo đảm quốc phòng - an ninh, trật tự an toàn xã hội", 5))),
    ("Đẩy mạnh thực hiện các phong trào thi đua do Thủ tướng Chính phủ phát động",
     (("Phong trào “Cả nước chung sức xây dựng nông thôn mới”", 5),
      ("Phong trào “Vì người nghèo - Không để ai bị bỏ lại phía sau”", 5),
      ("Phong trào “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”", 5))),
    ("Triển khai thực hiện có hiệu quả phong trào thi đua “Đẩy mạnh phát triển kết cấu "
     "hạ tầng đồng bộ, hiện đại; thực hiện tiết kiệm chống lãng phí”",
     (("Huy động nguồn lực xây dựng kết cấu hạ tầng", 5),
      ("Thực hành tiết kiệm, chống lãng phí", 5))),
    ("Tiếp tục triển khai thực hiện hiệu quả công tác cải cách hành chính; cải thiện môi "
     "trường đầu tư kinh doanh, hỗ trợ doanh nghiệp phát triển",
     (("Giải quyết thủ tục hành chính đúng hạn", 4),
      ("Ứng dụng công nghệ thông tin, dịch vụ công trực tuyến", 3),
      ("Chấp hành kỷ luật, kỷ cương hành chính", 3))),
    ("Triển khai thực hiện Đề án “Tuyên truyền gương điển hình tiên tiến giai đoạn "
     "2022-2025” của Thủ tướng Chính phủ",
     (("Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 5),
      ("Biểu dương gương “Người tốt, việc tốt”", 5))),
    ("Tiếp tục nâng cao chất lượng công tác khen thưởng, đảm bảo khen thưởng chính xác, "
     "kịp thời, công khai minh bạch",
     (("Hồ sơ đề nghị khen thưởng đúng quy định, đúng hạn", 5),
      ("Quan tâm khen thưởng người lao động trực tiếp", 5))),
    ("Công chức Văn hóa - Xã hội phụ trách văn hóa và thông tin và Đài truyền thanh xã theo "
     "chức năng, nhiệm vụ được giao đẩy mạnh công tác thông tin, tuyên truyền",
     (("Chuyên mục tuyên truyền về thi đua trên Đài truyền thanh", 3),
      ("Tin, bài về mô hình mới, gương điển hình", 2))),
    ("Đề nghị Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã, các hội, đoàn thể xã phối hợp "
     "chặt chẽ với chính quyền tiếp tục phát huy sức mạnh khối Đại đoàn kết toàn dân tộc",
     (("Vận động đoàn viên, hội viên hưởng ứng phong trào thi đua", 5),
      ("Phối hợp giám sát, phản biện xã hội", 5))),
)
INITIATIVES = (
    "Số hóa sổ hộ tịch lưu trữ tại xã",
    "Tiếp nhận hồ sơ một cửa qua nhóm Zalo của từng thôn",
    "Bản đồ số hiện trạng sử dụng đất nông nghiệp",
    "Phát thanh tự động bằng cụm loa thông minh",
    "Mô hình “Camera an ninh” ở khu dân cư",
    "Quy trình lập dự toán chi thường xuyên trên bảng tính dùng chung",
    "Sổ theo dõi dân quân thường trực bằng phần mềm",
    "Hướng dẫn nộp hồ sơ trực tuyến cho người cao tuổi",
)

# Achievements a Giấy khen names (ghi chú of the title history).
MERIT_NOTES = (
    "Có thành tích xuất sắc trong phong trào “Cả nước chung sức xây dựng nông thôn mới”",
    "Tích cực hiến đất làm đường giao thông nông thôn",
    "Có thành tích trong phong trào “Vì người nghèo - Không để ai bị bỏ lại phía sau”",
    "Gương “Người tốt, việc tốt”",
    "Sản xuất kinh doanh giỏi",
    "Có thành tích xuất sắc trong công tác phòng, chống thiên tai",
)
