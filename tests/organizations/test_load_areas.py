"""`canbo load_areas`: current and pre-2025 areas, succession links, upsert, audit."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from canbo.core.audit import audit_source
from canbo.core.models import AuditEvent, AuditSource
from canbo.core.vntext import fold
from canbo.organizations import lineage
from canbo.organizations.area_loader import load_areas
from canbo.organizations.choices import AreaKind, AreaLevel
from canbo.organizations.models import Area, AreaSuccession
from tests.factories import make_area

REFORM = dt.date(2025, 7, 1)
OLD_END = dt.date(2025, 6, 30)
CURRENT = 34 + 3321
LEGACY = 63 + 696 + 10035
LINKS = 63 + 10602


def tree_problems():
    """Area.find_problems() in one query: it issues two queries per node, ~20 s for 14k areas.

    Same five lists: bad characters, bad step length, orphans, wrong depth, wrong numchild.
    """
    rows = list(Area.objects.values_list("pk", "path", "depth", "numchild"))
    paths = {path for _, path, _, _ in rows}
    children = Counter(path[: -Area.steplen] for _, path, _, _ in rows)
    problems = ([], [], [], [], [])
    for pk, path, depth, numchild in rows:
        if set(path) - set(Area.alphabet):
            problems[0].append(pk)
        elif len(path) % Area.steplen:
            problems[1].append(pk)
        elif len(path) > Area.steplen and path[: -Area.steplen] not in paths:
            problems[2].append(pk)
        elif depth != len(path) // Area.steplen:
            problems[3].append(pk)
        elif numchild != children[path]:
            problems[4].append(pk)
    return problems


def successors(code):
    return sorted(
        AreaSuccession.objects.filter(predecessor__code=code).values_list(
            "successor__code", "successor__name", "effective_date"
        )
    )


class TestFullLoad:
    """One full load for the whole class; every test runs in a savepoint inside it."""

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def result(cls, django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            with audit_source(AuditSource.COMMAND):
                result = load_areas()
            yield result
            transaction.set_rollback(True)

    @pytest.mark.django_db
    def test_counts(self, result):
        assert (result.provinces, result.communes, result.legacy, result.successions) == (
            34,
            3321,
            LEGACY,
            LINKS,
        )
        assert (result.created, result.updated, result.unchanged) == (CURRENT + LEGACY, 0, 0)
        assert result.successions_created == LINKS
        assert result.misplaced == []
        current = Area.objects.filter(valid_to__isnull=True)
        old = Area.objects.filter(valid_to=OLD_END)
        assert current.filter(level=AreaLevel.PROVINCE).count() == 34
        assert current.filter(level=AreaLevel.COMMUNE).count() == 3321
        assert current.filter(level=AreaLevel.DISTRICT).count() == 0
        assert old.filter(level=AreaLevel.PROVINCE).count() == 63
        assert old.filter(level=AreaLevel.DISTRICT).count() == 696
        assert old.filter(level=AreaLevel.COMMUNE).count() == 10035
        assert Area.objects.count() == CURRENT + LEGACY
        assert not current.exclude(valid_from=REFORM).exists()
        assert not old.filter(code__regex=r"^[0-9]").exists()
        assert Counter(current.values_list("kind", flat=True)) == {
            AreaKind.PROVINCE: 28,
            AreaKind.CENTRAL_CITY: 6,
            AreaKind.COMMUNE: 2621,
            AreaKind.WARD: 687,
            AreaKind.SPECIAL_ZONE: 13,
        }
        assert Counter(old.values_list("kind", flat=True)) == {
            AreaKind.PROVINCE: 57,
            AreaKind.CENTRAL_CITY: 6,
            AreaKind.DISTRICT: 508,
            AreaKind.URBAN_DISTRICT: 49,
            AreaKind.PROVINCIAL_CITY: 87,
            AreaKind.TOWN: 52,
            AreaKind.COMMUNE: 7695,
            AreaKind.WARD: 1724,
            AreaKind.TOWNSHIP: 616,
        }
        assert AreaSuccession.objects.count() == LINKS
        assert set(AreaSuccession.objects.values_list("effective_date", flat=True)) == {REFORM}
        assert lineage.is_current()  # rebuilt after the bulk writes

    @pytest.mark.django_db
    def test_province_succession(self):
        assert successors("cu-02") == [("08", "Tỉnh Tuyên Quang", REFORM)]
        assert successors("cu-08") == [("08", "Tỉnh Tuyên Quang", REFORM)]
        tuyen_quang = Area.objects.get(code="08")
        assert sorted(tuyen_quang.predecessors.values_list("code", "name")) == [
            ("cu-02", "Tỉnh Hà Giang"),
            ("cu-08", "Tỉnh Tuyên Quang"),
        ]
        # Every old province went into exactly one new province.
        province_links = AreaSuccession.objects.filter(predecessor__level=AreaLevel.PROVINCE)
        assert province_links.count() == 63
        assert not province_links.exclude(successor__level=AreaLevel.PROVINCE).exists()
        assert len(set(province_links.values_list("successor", flat=True))) == 34

    @pytest.mark.django_db
    def test_commune_succession(self):
        # Phường Phúc Xá (quận Ba Đình) went whole into phường Hồng Hà.
        assert successors("cu-00001") == [("00097", "Phường Hồng Hà", REFORM)]
        # Phường Cống Vị was split between phường Ngọc Hà and phường Giảng Võ.
        assert successors("cu-00007") == [
            ("00008", "Phường Ngọc Hà", REFORM),
            ("00025", "Phường Giảng Võ", REFORM),
        ]
        assert sorted(Area.objects.get(code="00008").predecessors.values_list("code", "name")) == [
            ("cu-00006", "Phường Vĩnh Phúc"),
            ("cu-00007", "Phường Cống Vị"),
            ("cu-00008", "Phường Liễu Giai"),
            ("cu-00016", "Phường Ngọc Hà"),
            ("cu-00022", "Phường Đội Cấn"),
            ("cu-00025", "Phường Ngọc Khánh"),
            ("cu-00028", "Phường Kim Mã"),
            ("cu-00157", "Phường Nghĩa Đô"),
        ]
        # Island districts without communes map to their special zone.
        assert successors("cu-755") == [("26732", "Đặc khu Côn Đảo", REFORM)]
        assert Area.objects.get(code="cu-755").name == "Huyện Côn Đảo"
        # Every old commune has a successor, every new commune a predecessor.
        old_communes = Area.objects.filter(level=AreaLevel.COMMUNE, valid_to=OLD_END)
        linked = AreaSuccession.objects.filter(predecessor__level=AreaLevel.COMMUNE)
        assert len(set(linked.values_list("predecessor", flat=True))) == old_communes.count()
        assert len(set(linked.values_list("successor", flat=True))) == 3321 - 5

    @pytest.mark.django_db
    def test_old_and_new_codes_coexist(self):
        new = Area.objects.get(code="00004")
        old = Area.objects.get(code="cu-00004")
        assert (new.name, new.official_code, new.kind, new.valid_from, new.valid_to) == (
            "Phường Ba Đình",
            "00004",
            AreaKind.WARD,
            REFORM,
            None,
        )
        assert (old.name, old.official_code, old.kind, old.valid_from, old.valid_to) == (
            "Phường Trúc Bạch",
            "00004",
            AreaKind.WARD,
            None,
            OLD_END,
        )
        assert new.is_current and not old.is_current
        assert new.name_folded == "phuong ba dinh"
        assert sorted(Area.objects.filter(official_code="01").values_list("code", "name")) == [
            ("01", "Thành phố Hà Nội"),
            ("cu-01", "Thành phố Hà Nội"),
        ]
        # vietnam-provinces writes "Cao Bằng"; provinces get their "Tỉnh" prefix.
        assert Area.objects.get(code="04").name == "Tỉnh Cao Bằng"

    @pytest.mark.django_db
    def test_tree(self):
        no_problems = ([], [], [], [], [])
        assert tree_problems() == no_problems
        hanoi = Area.objects.get(code="01")
        assert Area.objects.get_parent(Area.objects.get(code="00004")) == hanoi
        assert (hanoi.depth, hanoi.numchild) == (1, 126)
        assert Area.objects.find_problems(parent=hanoi) == no_problems
        old_ward = Area.objects.get(code="cu-00004")
        assert [a.code for a in Area.objects.get_ancestors(old_ward)] == ["cu-01", "cu-001"]
        assert Area.objects.get_parent(old_ward).name == "Quận Ba Đình"
        old_hanoi = Area.objects.get(code="cu-01")
        assert Area.objects.find_problems(parent=old_hanoi) == no_problems
        # Every current commune sits right under its province.
        communes = Area.objects.filter(level=AreaLevel.COMMUNE, valid_to__isnull=True)
        assert set(communes.values_list("depth", flat=True)) == {2}
        assert Area.objects.get_root_nodes().count() == 34 + 63
        # The one-query check does catch a broken tree.
        Area.objects.filter(pk=hanoi.pk).update(numchild=1)
        assert tree_problems() == ([], [], [], [], [hanoi.pk])

    @pytest.mark.django_db
    def test_audit(self):
        events = AuditEvent.objects.all()
        assert events.count() == CURRENT + LEGACY + LINKS
        assert set(events.values_list("source", "action", "actor")) == {
            (AuditSource.COMMAND, "create", None)
        }
        ward = Area.objects.get(code="00004")
        event = events.get(content_type__model="area", object_id=str(ward.pk))
        assert event.object_repr == "Phường Ba Đình"
        assert event.changes == {
            "id": [None, ward.pk],
            "path": [None, ward.path],
            "depth": [None, 2],
            "numchild": [None, 0],
            "code": [None, "00004"],
            "official_code": [None, "00004"],
            "name": [None, "Phường Ba Đình"],
            "name_folded": [None, "phuong ba dinh"],
            "kind": [None, "ward"],
            "level": [None, 3],
            "valid_from": [None, "2025-07-01"],
        }
        link = AreaSuccession.objects.get(predecessor__code="cu-02")
        event = events.get(content_type__model="areasuccession", object_id=str(link.pk))
        assert event.object_repr == "Tỉnh Hà Giang → Tỉnh Tuyên Quang"

    @pytest.mark.django_db
    def test_second_run_changes_nothing(self):
        paths = dict(Area.objects.values_list("code", "path"))
        events = AuditEvent.objects.count()
        again = load_areas()
        assert (again.created, again.updated, again.unchanged) == (0, 0, CURRENT + LEGACY)
        assert again.successions_created == 0
        assert AuditEvent.objects.count() == events
        assert dict(Area.objects.values_list("code", "path")) == paths
        assert AreaSuccession.objects.count() == LINKS

    @pytest.mark.django_db
    def test_changed_name_is_updated_and_audited(self):
        Area.objects.filter(code="00004").update(name="Phường Ba Đình Cũ", name_folded="x")
        events = AuditEvent.objects.count()
        again = load_areas()
        assert (again.created, again.updated) == (0, 1)
        assert AuditEvent.objects.count() == events + 1
        ward = Area.objects.get(code="00004")
        assert (ward.name, ward.name_folded) == ("Phường Ba Đình", "phuong ba dinh")
        event = AuditEvent.objects.latest("id")
        assert (event.action, event.object_id) == ("update", str(ward.pk))
        assert event.changes == {
            "name": ["Phường Ba Đình Cũ", "Phường Ba Đình"],
            "name_folded": ["x", "phuong ba dinh"],
        }


@pytest.mark.django_db
def test_load_into_a_table_that_already_has_areas():
    province = make_area("01", "Tỉnh Thử Nghiệm")
    own = make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    other = make_area("ZZ", "Vùng thử")
    province.refresh_from_db()

    result = load_areas(current_only=True)

    assert (result.created, result.updated, result.unchanged) == (CURRENT - 1, 1, 0)
    assert (result.provinces, result.communes, result.legacy, result.successions) == (
        34,
        3321,
        0,
        0,
    )
    hanoi = Area.objects.get(code="01")
    # treebeard's own check on the subtree that mixes old and new rows, ours on the rest.
    assert Area.objects.find_problems(parent=hanoi) == ([], [], [], [], [])
    assert tree_problems() == ([], [], [], [], [])
    assert hanoi.pk == province.pk and hanoi.path == province.path
    assert (hanoi.name, hanoi.kind, hanoi.numchild) == ("Thành phố Hà Nội", "central_city", 127)
    assert Area.objects.get_parent(Area.objects.get(code="00004")) == hanoi
    assert Area.objects.get(code="00001").path == own.path
    assert Area.objects.get(code="ZZ").path == other.path == "0002"
    assert Area.objects.get(code="04").path == "0003"
    update = AuditEvent.objects.get(action="update")
    assert update.object_id == str(hanoi.pk)
    assert update.changes == {
        "name": ["Tỉnh Thử Nghiệm", "Thành phố Hà Nội"],
        "name_folded": ["tinh thu nghiem", "thanh pho ha noi"],
        "kind": ["province", "central_city"],
        "valid_from": [None, "2025-07-01"],
        "numchild": [1, 127],
    }
    assert AuditEvent.objects.filter(action="create").count() == CURRENT - 1

    # The pre-2025 areas and the links then go in beside them.
    result = load_areas()
    assert (result.created, result.updated, result.unchanged) == (LEGACY, 0, CURRENT)
    assert result.successions_created == LINKS
    assert tree_problems() == ([], [], [], [], [])
    assert Area.objects.get(code="cu-01").path == "0010"  # 36th root, base 36
    assert successors("cu-00001") == [("00097", "Phường Hồng Hà", REFORM)]


@pytest.mark.django_db
def test_command_prints_a_summary_and_skips_a_filled_table():
    out = io.StringIO()
    call_command("load_areas", "--current-only", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Đã nạp 34 tỉnh, 3321 xã; 0 đơn vị hành chính cũ; 0 liên kết kế thừa."
    assert lines[1].startswith("Thêm mới 3355, cập nhật 0, không đổi 0 đơn vị; thêm 0 liên kết")
    assert set(AuditEvent.objects.values_list("source", flat=True)) == {AuditSource.COMMAND}
    assert Area.objects.get(code="79").name_folded == fold("Thành phố Hồ Chí Minh")

    out = io.StringIO()
    call_command("load_areas", "--if-empty", stdout=out)
    assert out.getvalue() == "Đã có đơn vị hành chính trong cơ sở dữ liệu: bỏ qua.\n"
    assert Area.objects.count() == CURRENT
    assert AuditEvent.objects.count() == CURRENT
