"""Districts and communes from all the evidence, on real units of ``vietnamadminunits``.

Two "Huyện Tam Nông" exist (Phú Thọ, Đồng Tháp): the commune names printed in the tables decide.
"Xã Đăk Man" and "Xã Đăk Môn" are communes of one district (Đắk Glei, Kon Tum) whose names are
one OCR confusion apart: printed exactly, each is its own commune.
"""

from __future__ import annotations

import pytest

from extract.folding import fold
from extract.understand.communes import MatchSettings
from extract.understand.district import choose_district
from extract.understand.gazetteer import Gazetteer

SETTINGS = MatchSettings()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_default()


def _tam_nong(gaz: Gazetteer) -> dict[str, str]:
    """Province short name -> district code of the two Huyện Tam Nông."""
    found = {d.province: d.code for d in gaz.find_district("huyện Tam Nông")}
    assert len(found) == 2, found  # the premise: the name is shared by two provinces
    return found


def _labels(gaz: Gazetteer, district_code: str) -> list[str]:
    return [c.name for c in gaz.communes(district_code).communes]


def test_shared_district_name_is_decided_by_the_commune_names(gaz: Gazetteer) -> None:
    codes = _tam_nong(gaz)
    phu_tho = codes["Tỉnh Phú Thọ"]
    named = gaz.find_district("Ủy ban nhân dân huyện Tam Nông")
    labels = _labels(gaz, phu_tho)
    choice = choose_district(named, labels, gaz, 2019, SETTINGS)
    assert choice.district is not None and choice.district.code == phu_tho
    assert choice.communes is not None and choice.communes.district.code == phu_tho
    # the evidence names both candidates' count and the winner
    assert "Tỉnh Phú Thọ" in choice.evidence and f"{len(labels)} of {len(labels)}" in choice.evidence
    # and the other province's communes choose the other district
    dong_thap = codes["Tỉnh Đồng Tháp"]
    other = choose_district(named, _labels(gaz, dong_thap), gaz, 2019, SETTINGS)
    assert other.district is not None and other.district.code == dong_thap


def test_ocr_damaged_commune_names_still_decide(gaz: Gazetteer) -> None:
    phu_tho = _tam_nong(gaz)["Tỉnh Phú Thọ"]
    labels = ["Thị trấn Hưng Hoá", "Xa Hien Quan", "Xã Dị Nâu", "Xã Thọ Vãn", "Xã Tề Lẽ", "Xã Lam Son"]
    choice = choose_district([], labels, gaz, 2019, SETTINGS)
    assert choice.district is not None and choice.district.code == phu_tho
    assert choice.evidence.startswith("no district named in the text")


def test_unreadable_subtitle_district_comes_from_the_communes_alone(gaz: Gazetteer) -> None:
    ke_sach = gaz.find_district("huyện Kế Sách")[0]
    labels = ["Thị trấn Kế Sách", "Xã Kế Thành", "Xã Ba Trinh", "Xã Phong Nẫm", "Xã Nhơn Mỹ"]
    choice = choose_district([], labels, gaz, 2019, SETTINGS)
    assert choice.district is not None and choice.district.code == ke_sach.code
    assert choice.communes is not None
    assert {m.commune.name for m in choice.communes.assign(labels) if m} == set(labels)


def test_a_misread_district_name_is_overruled_by_many_communes(gaz: Gazetteer) -> None:
    ke_sach = gaz.find_district("huyện Kế Sách")[0]
    wrong = gaz.find_district("huyện Long Phú")[0]  # another district of the same province
    labels = _labels(gaz, ke_sach.code)
    choice = choose_district([wrong], labels, gaz, 2019, SETTINGS)
    assert choice.district is not None and choice.district.code == ke_sach.code
    assert "the text names" in choice.evidence and wrong.name in choice.evidence


def test_a_named_district_stands_when_the_communes_agree_or_are_few(gaz: Gazetteer) -> None:
    ke_sach = gaz.find_district("huyện Kế Sách")[0]
    agree = choose_district([ke_sach], _labels(gaz, ke_sach.code)[:4], gaz, 2019, SETTINGS)
    assert agree.district == ke_sach and "4 of 4" in agree.evidence
    alone = choose_district([ke_sach], [], gaz, 2019, SETTINGS)
    assert alone.district == ke_sach and alone.evidence.startswith("named in the text")


def test_nothing_decides_leaves_the_district_unknown(gaz: Gazetteer) -> None:
    named = gaz.find_district("huyện Tam Nông")
    none = choose_district(named, [], gaz, 2019, SETTINGS)
    assert none.district is None and none.communes is None
    made_up = choose_district(named, ["Xã Qwerty Zyx", "Xã Blorp"], gaz, 2019, SETTINGS)
    assert made_up.district is None and made_up.evidence.startswith("undecided")


def test_exact_name_wins_over_a_close_neighbour(gaz: Gazetteer) -> None:
    district = next(d for d in gaz.districts().values() if fold(d.short) == "dak glei")
    communes = gaz.communes(district.code)
    names = {c.short for c in communes.communes}
    assert {"Đăk Man", "Đăk Môn"} <= names  # the premise
    man, mon = communes.match("Xã Đăk Man"), communes.match("Xã Đăk Môn")
    assert man is not None and man.commune.short == "Đăk Man" and man.score == 100.0
    assert mon is not None and mon.commune.short == "Đăk Môn"
    assert man.runner_up > 90  # the neighbour is close: only the exact spelling decides
    # both in one table: each keeps its own
    assigned = communes.assign(["Xã Đăk Man", "Xã Đăk Môn"])
    assert [m.commune.short for m in assigned if m] == ["Đăk Man", "Đăk Môn"]
    # without diacritics the two cannot be told apart: left unmatched, never guessed
    assert communes.match("Xa Dak Man") is None


def test_a_name_a_huyen_and_a_thi_xa_share_is_decided_by_few_communes_among_garbles(gaz: Gazetteer) -> None:
    # dev_200_hard_200: "thị xã Duyên Hải" names Thị xã (851) and Huyện Duyên Hải (850) of Trà
    # Vinh; on the hard scan 4 labels name its communes and 8 are garbles or "1", "2" (Phường
    # 1 and 2 with their type word lost): 4 of 12 is under district_min_share, and the report
    # had no district, every commune row unmatched and its numbers under no commune
    named = gaz.find_district("Ủy ban nhân dân thị xã Duyên Hải")
    assert {d.code for d in named} == {"850", "851"}
    labels = ["Xã Long Toàn", "Xã Long Hữu", "Xã Dân | Thành", "Xã Trường Long Hòa", "1", "2"]
    labels += ["Xã #@ ~", "X. ~ ¡", "Phư ng", "Xã :: ;", "Xã ###", "@ ."]
    choice = choose_district(named, labels, gaz, None, SETTINGS)
    assert choice.district is not None and choice.district.code == "851"
    assert "4 of 12" in choice.evidence and "at most 0 of the other named" in choice.evidence
    # the other one's communes choose the other one
    other = ["Xã Đôn Xuân", "Xã Đôn Châu", "Thị trấn Long Thành", "1", "2", "#", "Xã ##", "@@"]
    assert choose_district(named, other, gaz, None, SETTINGS).district.code == "850"  # type: ignore[union-attr]
    # two labels are not enough, nor a tie between the named
    few = choose_district(named, ["Xã Long Toàn", "Xã Long Hữu", *labels[6:]], gaz, None, SETTINGS)
    assert few.district is None
    tie = ["Xã Long Toàn", "Xã Long Hữu", "Xã Dân Thành", "Xã Đôn Xuân", "Xã Đôn Châu", "Xã Ngũ Lạc"]
    assert choose_district(named, [*tie, *labels[6:]], gaz, None, SETTINGS).district is None
