"""A JSON package holding more values than a workbook may hold cells is refused from its
bytes, before it is decoded (decoding builds an object per value)."""

import json
import subprocess
import sys

import pytest

from canbo.exchange.limits import LimitError, Limits, check_json_values
from canbo.exchange.readers import PackageError, read_package

LIMITS = Limits(rows=1_048_576, cells=100, cell_chars=32_767, unpacked=1 << 30)


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def objects(k: int) -> str:
    """k empty rows: k - 1 commas, k + 2 braces and a bracket, so 2k + 3 with the first."""
    return '{"sheets": {"Cán bộ": [' + ",".join(["{}"] * k) + "]}}"


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("[" + ",".join(["1"] * 99) + "]", False),  # bound 100: at the limit
        ("[" + ",".join(["1"] * 100) + "]", True),  # bound 101
        (objects(48), False),  # 99
        (objects(49), True),  # 101
    ],
)
def test_values_are_bounded_from_the_bytes(tmp_path, text, refused):
    path = write(tmp_path / "goi.json", text)
    if not refused:
        check_json_values(path, LIMITS)
        return
    with pytest.raises(LimitError) as error:
        check_json_values(path, LIMITS)
    assert str(error.value) == (
        "Tệp JSON có hơn 100 giá trị, vượt giới hạn của một lần nhập "
        "(CANBO_IMPORT_MAX_CELLS). Hãy chia gói dữ liệu thành nhiều tệp nhỏ hơn."
    )


def test_the_bound_is_counted_across_chunks(tmp_path):
    path = write(tmp_path / "goi.json", "[" + ",".join(["1"] * 150) + "]")
    with pytest.raises(LimitError):
        check_json_values(path, LIMITS, chunk=7)


def test_the_import_refuses_before_decoding(tmp_path, settings):
    settings.CANBO_IMPORT_MAX_CELLS = 1000
    rows = [{"Số định danh cá nhân": f"0010800{i:05d}"} for i in range(1000)]
    path = write(tmp_path / "goi.json", json.dumps({"sheets": {"Cán bộ": rows}}))
    with pytest.raises(PackageError) as error:
        read_package(path)
    assert "Tệp JSON có hơn 1.000 giá trị" in str(error.value)


def test_a_file_of_empty_objects_is_refused_in_little_memory(tmp_path):
    """40 MB of `{},` decodes to 13 million dicts (about 1 GB): refused at about its bytes."""
    path = tmp_path / "rong.json"
    with path.open("w") as handle:
        handle.write('{"sheets": {"Cán bộ": [')
        handle.write("{}," * (13 * 1024 * 1024))
        handle.write("{}]}}")
    code = (
        "import django, sys; django.setup()\n"
        "from canbo.exchange.readers import PackageError, read_package\n"
        "try:\n    read_package(sys.argv[1])\nexcept PackageError as e:\n    print(e)\n"
        # The process's own peak (VmHWM): ru_maxrss would count the forking worker's pages.
        "print(next(int(line.split()[1]) // 1024 for line in open('/proc/self/status')\n"
        "           if line.startswith('VmHWM:')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    message, peak_mb = done.stdout.strip().splitlines()
    assert message.startswith("Tệp JSON có hơn 10.000.000 giá trị"), done.stderr[-2000:]
    assert int(peak_mb) < 300
