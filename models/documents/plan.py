"""The campaign plan (kế hoạch phát động phong trào thi đua) with the structure of the
commune's own plan (the seed): I. purposes and requirements, II. the content areas of
the campaign with their criteria, III. organisation, naming the units taking part."""
from __future__ import annotations

from pathlib import Path

from models import text
from models.cycle import campaigns, scoring
from models.cycle.tables import CAMPAIGN_KINDS
from models.documents import builder
from models.errors import RuleError
from models.registry.tables import Unit

KIND = "plan"
NUMBER = "Số:       /KH-UBND"   # given by the commune's register when signed
PURPOSES = [
    "Tạo động lực, cổ vũ, động viên cán bộ, công chức, đảng viên và Nhân dân đoàn kết, "
    "chủ động, sáng tạo, hoàn thành thắng lợi các nhiệm vụ chính trị năm {year}.",
    "Kịp thời biểu dương, khen thưởng những tập thể, cá nhân có thành tích tiêu biểu, xuất "
    "sắc; phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến.",
]
REQUIREMENTS = [
    "Phong trào thi đua được thực hiện đồng bộ, thường xuyên, thiết thực, gắn với nhiệm vụ "
    "chính trị và điều kiện thực tiễn của địa phương; tránh phô trương, hình thức.",
    "Khen thưởng trên cơ sở kết quả, thành tích thi đua; bảo đảm khách quan, chính xác, công "
    "khai, công bằng, kịp thời; quan tâm người trực tiếp lao động.",
]
OFFICE = ("Giao Văn phòng UBND xã theo dõi, hướng dẫn, kiểm tra việc thực hiện; tổng hợp, "
          "tham mưu UBND xã sơ kết, tổng kết và khen thưởng theo quy định.")
FINANCE = ("Bộ phận Tài chính - Kế toán xã phối hợp Văn phòng UBND xã cân đối kinh phí thực "
           "hiện công tác thi đua, khen thưởng theo quy định./.")


def find(value: str, year: int) -> int:
    """The campaign numbered `value` (its number on the F4 screen); `year` unused."""
    if not (value or "").strip().isdigit():
        raise RuleError(f"Số phong trào “{text.visible(value)}” phải là một số (xem màn hình F4).")
    return campaigns.get(int(value)).id


def _units(campaign_id: int) -> list[str]:
    ids = campaigns.participating(campaign_id)
    return [u.name for u in Unit.select(Unit.name).where(Unit.id.in_(list(ids)))
            .order_by(Unit.name)] if ids else []


def build(cfg, campaign_id: int) -> builder.Document:
    c = campaigns.get(campaign_id)
    doc = builder.Document(cfg)
    doc.heading(NUMBER, c.starts_on)
    doc.title("Kế hoạch", f"Phát động {c.name}" + (f" với chủ đề “{c.theme}”" if c.theme else ""))
    doc.grounds(KIND)
    doc.text(f"Ủy ban nhân dân xã {cfg.commune.name} xây dựng Kế hoạch {c.name} "
             f"({CAMPAIGN_KINDS.get(c.kind, c.kind).lower()}, từ ngày "
             f"{text.format_date(c.starts_on)} đến ngày {text.format_date(c.ends_on)}) "
             "với nội dung sau:")
    doc.line("I. MỤC ĐÍCH, YÊU CẦU", bold=True, align="left", before=6, after=3)
    doc.line("1. Mục đích", bold=True, align="left", after=3)
    for value in PURPOSES:
        doc.text(value.format(year=c.year))
    doc.line("2. Yêu cầu", bold=True, align="left", after=3)
    for value in REQUIREMENTS:
        doc.text(value)
    doc.line("II. NỘI DUNG", bold=True, align="left", before=6, after=3)
    for i, area in enumerate(campaigns.areas(c.id), 1):
        doc.text(area.title, lead=f"{i}. ")
        for criterion in campaigns.criteria(area.id):
            most = scoring.show(criterion.max_points)
            points = f" (tối đa {most} điểm)" if most else ""
            doc.text(f"- {criterion.text}{points}", after=0)
    doc.line("III. TỔ CHỨC THỰC HIỆN", bold=True, align="left", before=6, after=3)
    units = _units(c.id)
    doc.text(("Các đơn vị tham gia: " + "; ".join(units) + ". " if units else "Các cơ quan, "
              "đơn vị, thôn ") + "căn cứ Kế hoạch này xây dựng kế hoạch thi đua của đơn vị, "
             "đăng ký thi đua và định kỳ báo cáo sơ kết 6 tháng, tổng kết năm về UBND xã (qua "
             "Văn phòng UBND xã).", lead="1. ")
    doc.text(OFFICE, lead="2. ")
    doc.text(FINANCE, lead="3. ")
    doc.sign(builder.signature(cfg), KIND)
    return doc


def write_docx(cfg, campaign_id: int, path: Path) -> Path:
    return build(cfg, campaign_id).save(path)
