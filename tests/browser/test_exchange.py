"""End to end in Chromium: upload a data package, follow its dry run (in the background) to
the report, confirm, follow the import to its result, export the unit in the background."""

import re

import openpyxl
import pytest

from canbo.accounts.models import Role
from canbo.jobs.models import Job, JobStatus
from canbo.organizations.choices import AreaKind, AreaLevel, UnitKind, UnitLevel
from canbo.people.models import Ethnicity, Person
from tests.workers import worker_thread

from ..factories import UserFactory, grant, make_area, make_unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "mat-khau-123"
HEADERS = ["Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Giới tính", "Ngày sinh", "Dân tộc",
           "Mã quê quán", "Mã đơn vị"]  # fmt: skip


@pytest.fixture
def data(settings, tmp_path):
    settings.CANBO_IMPORT_DIR = tmp_path / "imports"
    settings.CANBO_JOB_DIR = tmp_path / "jobs"
    province = make_area("01", "Tỉnh Thử Nghiệm")
    commune = make_area("00001", "Xã An Bình", province, AreaKind.COMMUNE, AreaLevel.COMMUNE)
    tu = make_unit("TU", "Tỉnh ủy Thử Nghiệm", area=province)
    make_unit(
        "XA", "Đảng ủy xã An Bình", tu, UnitKind.PARTY_COMMITTEE, UnitLevel.COMMUNE, area=commune
    )
    tu.refresh_from_db()
    Ethnicity.objects.get_or_create(code="01", defaults={"name": "Kinh", "is_minority": False})
    user = UserFactory(username="canbo_tinh", role=Role.EDITOR, first_name="Lê Văn Tỉnh")
    grant(user, tu)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Cán bộ"
    sheet.append(HEADERS)
    sheet.append(
        ["001080000001", "Nguyễn", "Văn", "An", "Nam", "05/03/1980", "Kinh", "00001", "XA"]
    )
    path = tmp_path / "can-bo-xa-an-binh.xlsx"
    workbook.save(path)
    return {"user": user, "package": path, "imports": settings.CANBO_IMPORT_DIR}


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/exchange/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Tên đăng nhập").fill("canbo_tinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/exchange/$"))


def test_upload_dry_run_confirm(page, live_server, data):
    from playwright.sync_api import expect

    sign_in(page, live_server)
    expect(page.locator("h1")).to_have_text("Nhập/xuất dữ liệu")
    expect(page.get_by_role("link", name="Dữ liệu")).to_be_visible()
    page.screenshot(path="/tmp/canbo-exchange.png", full_page=True)

    page.get_by_label("Tệp gói dữ liệu").set_input_files(str(data["package"]))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(re.compile(r"/exchange/import/[A-Za-z0-9_-]{32}/$"))
    # No worker yet: the dry run waits, with its bar; the page keeps asking (htmx).
    expect(page.locator("#import-status")).to_contain_text("Đang chạy thử gói dữ liệu; chưa ghi gì.")
    expect(page.locator("#job-status")).to_have_text("Đang chờ")
    expect(page.locator("#job-bar")).to_be_visible()
    with worker_thread():
        # The page follows the dry run and shows its report once it is done.
        expect(page.locator("#import-status")).to_contain_text(
            "Gói hợp lệ. Chạy thử: chưa ghi gì.", timeout=20_000
        )
    expect(page.locator("#import-summary")).to_contain_text(
        "Tổng: 1 tạo mới, 0 cập nhật, 0 không đổi."
    )
    expect(page.locator('#import-counts tr[data-sheet="Cán bộ"] td')).to_have_text(
        ["Cán bộ", "1", "0", "0"]
    )
    expect(page.locator("#upload-info")).to_contain_text("can-bo-xa-an-binh.xlsx")
    assert not Person.objects.exists()  # the dry run wrote nothing
    page.screenshot(path="/tmp/canbo-import-dry-run.png", full_page=True)

    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("#import-status")).to_contain_text("Tệp này đang được nhập.")
    expect(page.locator("#job-status")).to_have_text("Đang chờ")
    assert not Person.objects.exists()
    with worker_thread():
        expect(page.locator("#import-status")).to_have_text(
            re.compile(r"Đã nhập xong\.\s+1 tạo mới, 0 cập nhật, 0 không đổi\."), timeout=20_000
        )
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    person = Person.objects.get(id_number="001080000001")
    assert (person.full_name, person.unit.code) == ("Nguyễn Văn An", "XA")
    # The stored upload is gone once applied; its outcome stays for the page.
    assert [path.suffix for path in data["imports"].iterdir()] == [".result"]
    page.screenshot(path="/tmp/canbo-import-result.png", full_page=True)

    # The person just imported comes back out in an export of the unit, in the background.
    page.goto(f"{live_server.url}/exchange/")
    page.get_by_label("Đơn vị").select_option("XA")
    page.get_by_role("button", name="Xuất gói dữ liệu").click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    expect(page.locator("h1")).to_have_text("Xuất gói dữ liệu: XA – Đảng ủy xã An Bình (Excel)")
    with worker_thread():
        expect(page.locator("#job-status")).to_have_text("Hoàn thành", timeout=20_000)
    expect(page.locator("#job-progress")).to_contain_text("1 cán bộ")
    assert Job.objects.get(kind="package_export").status == JobStatus.DONE
    with page.expect_download() as info:
        page.locator("#job-download").click()
    download = info.value
    assert re.fullmatch(r"goi-du-lieu-XA-\d\d-\d\d-\d{4}\.xlsx", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        exported = openpyxl.load_workbook(handle, read_only=True)
        rows = list(exported["Cán bộ"].iter_rows(values_only=True))
    assert rows[1][:4] == ("001080000001", "Nguyễn", "Văn", "An")
