"""Values for the printed forms that satisfy each form's arithmetic, drawn from a seeded generator.

The body of a form (:class:`extract.synth.printed.PrintedForm`) decides the rows: fixed items,
a district row (I) with its units, a commune row (II) with one row per commune of the district,
and a total row; 4B's fields; 3B's per-commune lists; the staff list.  Numbers are drawn so that
every row sum (``sums``, ``split``), every parent row (I = its units, II = its communes) and the
total row (I + II) hold -- except where :func:`misprint` puts one of the printed report's own
arithmetic errors, which the truth marks.

Every cell is kept twice: as printed (``"5.697"``, ``"-3"``, ``""``) and normalised (5697, -3,
None), so scoring never parses the generator's own output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .printed import PrintedForm, PrintedForms

Value = int | float | str | None


@dataclass(frozen=True)
class Commune:
    code: str
    name: str  # official name with its type: "Xã Đăk Man", "Thị trấn Hưng Hóa", "Phường 3"


@dataclass(frozen=True)
class NumberStyle:
    """How a typist prints numbers in one report."""

    thousands: str  # "." ("5.697") or "" ("5697")
    zero: str  # how a zero prints in a sparse column: "0" or "" (blank)
    plus_sign: bool  # "+2" in signed columns


@dataclass
class GenRow:
    """One body row: printed text and normalised value per column key, and what the row is."""

    kind: str  # "heading", "item", "section", "unit", "commune", "field", "total", "staff"
    cells: dict[str, str]
    values: dict[str, Value]
    bold: bool = False
    commune: Commune | None = None
    printed_errors: dict[str, str] = field(default_factory=dict)  # column key -> rule it breaks


def fmt_number(value: int, style: NumberStyle, signed: bool = False) -> str:
    """``value`` as the typist prints it."""
    digits = f"{abs(value):,}".replace(",", style.thousands) if abs(value) >= 1000 else str(abs(value))
    if value < 0:
        return "-" + digits
    if signed and value > 0 and style.plus_sign:
        return "+" + digits
    return digits


class Filler:
    """Draws the rows of every form of one report."""

    def __init__(
        self,
        forms: PrintedForms,
        communes: Sequence[Commune],
        rng: np.random.Generator,
        style: NumberStyle,
        year: int,
    ) -> None:
        self.forms = forms
        self.communes = list(communes)
        self.rng = rng
        self.style = style
        self.year = year

    # -- numbers -----------------------------------------------------------------------------

    def _draw(self, form: PrintedForm, key: str, scale: tuple[int, int]) -> int:
        col = form.column(key)
        lo, hi = scale
        if col.type == "signed":
            return int(self.rng.choice([-3, -2, -1, 0, 0, 0, 1, 2]))
        if key in form.sparse and self.rng.random() < 0.55:
            return 0
        if key in form.sparse:
            return int(self.rng.integers(1, max(2, hi // 8 + 2)))
        return int(self.rng.integers(lo, hi + 1))

    def _divide(self, total: int, parts: Sequence[str], form: PrintedForm) -> dict[str, int]:
        """``total`` split over ``parts``: sparse parts get a small share or nothing."""
        out: dict[str, int] = {}
        left = total
        for i, p in enumerate(parts):
            if i == len(parts) - 1:
                out[p] = left
                break
            if p in form.sparse:
                share = 0 if self.rng.random() < 0.5 else int(self.rng.integers(0, max(1, left // 6) + 1))
            else:
                share = int(round(left * self.rng.uniform(0.55, 1.0)))
            share = max(0, min(left, share))
            out[p] = share
            left -= share
        if (
            len(parts) > 1
            and parts[-1] not in form.sparse
            and out[parts[-1]] == 0
            and parts[0] in form.sparse
        ):
            out[parts[0]], out[parts[-1]] = 0, out[parts[0]]
        return out

    def numbers(self, form: PrintedForm, scale: tuple[int, int] | None = None) -> dict[str, int]:
        """One row's numbers, every row sum of ``form`` holding."""
        scale = scale or form.scale
        split_parts = set(form.split[1]) if form.split else set()
        known: dict[str, int] = {}
        for total, parts in form.sums:
            if total in split_parts:
                continue
            for p in parts:
                known[p] = self._draw(form, p, scale)
            known[total] = sum(known[p] for p in parts)
        if form.split:
            total, parts = form.split
            if total not in known:
                known[total] = self._draw(form, total, scale)
            known.update(self._divide(known[total], parts, form))
        for total, parts in form.sums:
            if total in known and not all(p in known for p in parts):
                known.update(self._divide(known[total], parts, form))
        for key in form.numeric_keys:
            if key not in known:
                known[key] = self._draw(form, key, scale)
        for small, big in form.bounds.items():
            if known[small] > known[big]:
                known[small] = int(self.rng.integers(0, known[big] + 1))
        return known

    def _cells(
        self, form: PrintedForm, nums: Mapping[str, int], keys: Sequence[str] | None = None
    ) -> tuple[dict[str, str], dict[str, Value]]:
        cells: dict[str, str] = {}
        values: dict[str, Value] = {}
        for key in keys if keys is not None else form.numeric_keys:
            v = nums[key]
            col = form.column(key)
            if v == 0 and key in form.sparse and not form.zeros_printed and self.style.zero == "":
                cells[key], values[key] = "", None
            else:
                cells[key], values[key] = fmt_number(v, self.style, col.type == "signed"), v
        return cells, values

    def _row(
        self,
        form: PrintedForm,
        kind: str,
        stt: str,
        label: str,
        nums: Mapping[str, int] | None,
        bold: bool = False,
        commune: Commune | None = None,
        keys: Sequence[str] | None = None,
    ) -> GenRow:
        cells: dict[str, str] = {form.index_column: stt, form.label: label}
        values: dict[str, Value] = {form.index_column: stt or None, form.label: label}
        if nums is not None:
            c, v = self._cells(form, nums, keys)
            cells.update(c)
            values.update(v)
        return GenRow(kind, cells, values, bold, commune)

    # -- notes -------------------------------------------------------------------------------

    def decision(self) -> str:
        n = int(self.rng.integers(12, 3500))
        y = int(self.rng.integers(self.year - 6, self.year + 1))
        d, m = int(self.rng.integers(1, 29)), int(self.rng.integers(1, 13))
        prefix = "Số " if self.rng.random() < 0.6 else ""
        return f"{prefix}{n}/QĐ-UBND ngày {d:02d}/{m}/{y}"

    def note(self, p: float = 0.15) -> str:
        if self.rng.random() >= p:
            return ""
        choice = self.rng.random()
        if choice < 0.4:
            return self.decision()
        if choice < 0.7:
            pct = round(float(self.rng.uniform(60, 100)), 1)
            text = f"{pct:.1f}".replace(".", ",").replace(",0", "")
            return f"Đạt {text}%"
        return "Lồng ghép kiểm tra công vụ"

    # -- bodies ------------------------------------------------------------------------------

    def rows(self, form: PrintedForm) -> list[GenRow]:
        body = getattr(self, "_body_" + form.body)
        rows: list[GenRow] = body(form)
        for r in rows:  # every cell of every column is accounted for (empty when not printed)
            for c in form.columns:
                r.cells.setdefault(c.key, "")
                r.values.setdefault(c.key, None)
        return rows

    def _note_on(self, form: PrintedForm, row: GenRow, p: float = 0.15) -> None:
        for key in ("ghi_chu",):
            if key in {c.key for c in form.columns} and form.column(key).type == "note":
                text = self.note(p)
                row.cells[key], row.values[key] = text, text or None

    def _body_items(self, form: PrintedForm) -> list[GenRow]:
        out = []
        for stt, label, *flags in form.items:
            if "heading" in flags:
                out.append(self._row(form, "heading", stt, label, None, bold=True))
                continue
            row = self._row(form, "item", stt, label, self.numbers(form))
            self._note_on(form, row)
            out.append(row)
        return out

    def _units(
        self, form: PrintedForm, nums_of: Sequence[Mapping[str, int]], keys: Sequence[str]
    ) -> dict[str, int]:
        return {k: sum(n[k] for n in nums_of) for k in keys}

    def _body_units(self, form: PrintedForm) -> list[GenRow]:
        keys = form.numeric_keys
        commune_keys = form.commune_columns or keys
        lo, hi = form.scale
        district_scale = (max(lo, 1) * 3, hi * 4)
        if form.district_units:
            unit_nums = [self.numbers(form, district_scale) for _ in form.district_units]
            district = self._units(form, unit_nums, keys)
        else:
            unit_nums = []
            district = self.numbers(form, district_scale)
        commune_nums = [self.numbers(form) for _ in self.communes]
        communes_total = self.numbers(form)  # for the columns printed on row II only
        communes_total.update(self._units(form, commune_nums, commune_keys))
        out = [self._row(form, "section", "I", form.district_row, district, bold=True)]
        self._note_on(form, out[0], 0.3)
        for i, (label, nums) in enumerate(zip(form.district_units, unit_nums, strict=False)):
            out.append(self._row(form, "unit", str(i + 1), label, nums))
        out.append(self._row(form, "section", "II", form.communes_row, communes_total, bold=True))
        for i, (c, nums) in enumerate(zip(self.communes, commune_nums, strict=False)):
            row = self._row(form, "commune", str(i + 1), c.name, nums, commune=c, keys=commune_keys)
            self._note_on(form, row, 0.05)
            out.append(row)
        if form.total_labels:
            label = str(self.rng.choice(list(form.total_labels)))
            total = {k: district[k] + communes_total[k] for k in keys}
            out.append(self._row(form, "total", "", label, total, bold=True))
        return out

    def _body_fields(self, form: PrintedForm) -> list[GenRow]:
        out = []
        pools = {"district_fields": self.forms.district_fields, "commune_fields": self.forms.commune_fields}
        for stt, label, pool_name in form.sections:
            pool = pools[pool_name]
            n = int(self.rng.integers(max(4, len(pool) // 5), max(5, len(pool) // 2) + 1))
            picked = sorted(self.rng.choice(len(pool), size=n, replace=False))
            nums = [self.numbers(form) for _ in picked]
            for nm in nums:  # most fields are "one-stop" entirely, as in the seed
                if self.rng.random() < 0.8:
                    nm["mot_cua"] = nm["hieu_luc"]
            head = self._row(
                form, "section", stt, label, self._units(form, nums, form.numeric_keys), bold=True
            )
            out.append(head)
            for i, (k, nm) in enumerate(zip(picked, nums, strict=False)):
                row = self._row(
                    form,
                    "field",
                    str(i + 1),
                    f"Lĩnh vực {pool[k][0].lower()}{pool[k][1:]}"
                    if self.rng.random() < 0.5
                    else f"Lĩnh vực {pool[k]}",
                    nm,
                )
                row.cells["ghi_chu"] = row.values["ghi_chu"] = self.decision()  # type: ignore[assignment]
                out.append(row)
        return out

    def _mixed(self, form: PrintedForm, stt: str, label: str, value: Value, kind: str = "item") -> GenRow:
        row = self._row(form, kind, stt, label, None)
        if isinstance(value, int):
            row.cells["so_lieu"], row.values["so_lieu"] = fmt_number(value, self.style), value
        elif value:
            row.cells["so_lieu"], row.values["so_lieu"] = str(value), str(value)
        return row

    def _body_tthc_public(self, form: PrintedForm) -> list[GenRow]:
        (s1, l1, *_), (s2, l2, *_), (s3, l3, *_) = form.items[:3]
        plan = self._mixed(form, s1, l1, "Có" if self.rng.random() < 0.9 else "Không")
        plan.cells["ghi_chu"] = plan.values["ghi_chu"] = (  # type: ignore[assignment]
            f"Kế hoạch số {int(self.rng.integers(5, 300))}/KH-UBND về rà soát, đánh giá thủ tục hành chính "
            f"năm {self.year}"
        )
        out = [plan]
        for stt, label in ((s2, l2), (s3, l3)):
            huyen = int(self.rng.integers(180, 320))
            xa = int(self.rng.integers(90, 140))
            out.append(self._mixed(form, stt, label, huyen + xa))
            out.append(self._mixed(form, f"{stt}.1", "Cấp huyện", huyen))
            out.append(self._mixed(form, f"{stt}.2", "Cấp xã", xa))
            for i, c in enumerate(self.communes):
                v = xa if self.rng.random() < 0.85 else int(self.rng.integers(xa // 2, xa + 1))
                row = self._mixed(form, f"{stt}.2.{i + 1}", c.name, v, "commune")
                row.commune = c
                out.append(row)
        return out

    def _body_finance(self, form: PrintedForm) -> list[GenRow]:
        (s1, l1, *_), (s2, l2, *_), *kinds = form.items
        out = []
        n1 = int(self.rng.integers(10, 40))
        r1 = self._row(
            form,
            "item",
            s1,
            l1,
            {"tong_so": n1, "tang_giam": int(self.rng.choice([0, 0, -1, 1]))},
            keys=["tong_so"],
        )
        r1.cells["ghi_chu"] = r1.values["ghi_chu"] = f"{n1}/{n1}"  # type: ignore[assignment]
        parts = [
            int(self.rng.integers(0, 4)) if i < 3 else int(self.rng.integers(20, 120))
            for i in range(len(kinds))
        ]
        total = sum(parts)
        r2 = self._row(form, "item", s2, l2, {"tong_so": total}, keys=["tong_so"])
        r2.cells["ghi_chu"], r2.values["ghi_chu"] = fmt_number(total, self.style), total
        out += [r1, r2]
        for (stt, label, *_), v in zip(kinds, parts, strict=False):
            r = self._row(form, "item", stt, label, {"tong_so": v}, keys=["tong_so"])
            if v:
                r.cells["ghi_chu"] = r.values["ghi_chu"] = f"{v}/{total}"  # type: ignore[assignment]
            out.append(r)
        return out

    def _body_iso(self, form: PrintedForm) -> list[GenRow]:
        out = []
        n = len(self.communes)
        for stt, label, kind in form.items:
            if kind == "heading":
                out.append(self._row(form, "heading", stt, label, None, bold=True))
            elif kind == "communes":
                out.append(
                    self._mixed(
                        form, stt, label, n if self.rng.random() < 0.7 else int(self.rng.integers(0, n + 1))
                    )
                )
            elif kind == "yesno":
                row = self._mixed(form, stt, label, "Có" if self.rng.random() < 0.85 else "Không")
                if self.rng.random() < 0.4:
                    row.cells["ghi_chu"] = row.values["ghi_chu"] = (  # type: ignore[assignment]
                        f"Kế hoạch số {int(self.rng.integers(1, 99))}/KH-BCĐ ngày "
                        f"{int(self.rng.integers(1, 29)):02d}/{int(self.rng.integers(1, 13)):02d}/{self.year}"
                    )
                out.append(row)
            else:
                out.append(self._row(form, "item", stt, label, None))
        return out

    def _body_staff(self, form: PrintedForm) -> list[GenRow]:
        out = []
        roles = list(form.items)
        extra = int(self.rng.integers(1, 5))
        titles = [
            "Phó Chủ tịch UBND huyện",
            "Chủ tịch UBND huyện",
            "Chuyên viên Phòng Nội vụ",
            "Chuyên viên Phòng Văn hóa và Thông tin",
            "Chuyên viên Văn phòng HĐND và UBND",
            "Chuyên viên Phòng Tài chính - Kế hoạch",
            "Chuyên viên Phòng Tư pháp",
            "Trưởng phòng Nội vụ",
        ]
        for i in range(len(roles) + extra):
            stt = str(i + 1)
            label = roles[i][1] if i < len(roles) else ""
            row = self._row(form, "staff", stt, label, None)
            name, ascii_name = person(self.rng)
            phone = "09" + "".join(str(int(d)) for d in self.rng.integers(0, 10, size=8))
            if self.rng.random() < 0.5:
                phone = f"{phone[:4]} {phone[4:7]} {phone[7:]}"
            email = f"{ascii_name}@example.com" if self.rng.random() < 0.85 else ""
            contact = " ".join(x for x in (email, ("SĐT: " if self.rng.random() < 0.4 else "") + phone) if x)
            for key, text in (
                ("ho_ten", name),
                ("chuc_vu", str(self.rng.choice(titles))),
                ("lien_he", contact),
            ):
                row.cells[key], row.values[key] = text, text
            out.append(row)
        return out


# ------------------------------------------------------------------------------------------------
# made-up people

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Thạch",
    "Danh",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Thị Kim", "Đức", "Hoàng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hạnh",
    "Hiếu",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thủy",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
]
_ASCII = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)


def person(rng: np.random.Generator) -> tuple[str, str]:
    """A made-up Vietnamese full name and its ASCII e-mail user name."""
    parts = [str(rng.choice(FAMILY)), str(rng.choice(MIDDLE)), str(rng.choice(GIVEN))]
    name = " ".join(parts)
    return name, name.lower().translate(_ASCII).replace(" ", "")


# ------------------------------------------------------------------------------------------------
# the printed report's own errors


def misprint(
    rows: list[GenRow], form: PrintedForm, rng: np.random.Generator, style: NumberStyle
) -> str | None:
    """Make one total cell of ``rows`` wrong by a small amount, as printed reports sometimes are
    (the seed's 5B total row); the row records which rule it breaks.  Returns the rule, or None
    when the form has no total to misprint."""
    candidates = [
        (r, k)
        for r in rows
        if r.kind in ("section", "total")
        for k in form.numeric_keys
        if isinstance(v := r.values.get(k), int) and v > 20
    ]
    if not candidates:
        return None
    row, key = candidates[int(rng.integers(0, len(candidates)))]
    delta = int(rng.choice([-100, -10, -1, 1, 9, 100]))
    value = max(0, int(row.values[key]) + delta)  # type: ignore[arg-type]
    if value == row.values[key]:
        value += 1
    row.values[key] = value
    row.cells[key] = fmt_number(value, style, form.column(key).type == "signed")
    rule = (
        "total row = (I) + (II)"
        if row.kind == "total"
        else f"{row.cells.get(form.index_column)} = sum of its rows"
    )
    row.printed_errors[key] = rule
    return rule
