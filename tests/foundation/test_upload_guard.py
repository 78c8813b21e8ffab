"""Spreadsheets that killed or exhausted a worker (issue 11.2): a 1.6 KB sheet with a
cell at XFD1048576, a row bomb, a whitespace bomb, and their CSV cousins are refused
with a Chinese message naming the limit — by the import page, the screening page, the
API and the commands alike — nothing is written, and neither this process (the
worker) nor the child that reads the file comes near 300 MB."""

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from campusgrid.core.imports import read_rows
from campusgrid.dossiers.models import ScreeningResult
from campusgrid.org.models import Semester
from campusgrid.people.models import Staff, Student
from tests import hostile_files as h

pytestmark = pytest.mark.django_db

SEMESTER = "2026-2027学年第一学期"
MB = 1024 * 1024

HOSTILE = {
    # name: (maker, suffix, what the message must say)
    "sparse": (h.sparse_xlsx, ".xlsx", "超过 100000 行的上限"),
    "row-bomb": (h.row_bomb_xlsx, ".xlsx", "超过 100000 行的上限"),
    "whitespace-bomb": (h.whitespace_bomb_xlsx, ".xlsx", "超过 256 MB 的上限"),
    "whitespace-cell": (h.whitespace_cell_xlsx, ".xlsx", "超过 32767 个字符的上限"),
    "wide-csv": (h.wide_csv, ".csv", "超过 100 列的上限"),
    "long-field-csv": (h.long_field_csv, ".csv", "超过 32767 个字符的上限"),
}
THE_THREE = ["sparse", "row-bomb", "whitespace-bomb"]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    """The hostile files, generated once (a few MB on disk at most)."""
    folder = tmp_path_factory.mktemp("hostile")
    return {name: make(folder / f"{name}{suffix}") for name, (make, suffix, _) in HOSTILE.items()}


@pytest.fixture
def semester(db):
    return Semester.objects.create(name=SEMESTER, start="2026-09-01", end="2027-01-20")


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


class Memory:
    """The peak memory of this process (the worker) during the block, from its high-water
    mark reset at the start, and the peak of the child that read the file (logged)."""

    def __init__(self, caplog):
        self.caplog = caplog

    def __enter__(self):
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        self.before_kb = _status("VmRSS")
        self.caplog.clear()
        return self

    def __exit__(self, *exc):
        self.peak_kb = _status("VmHWM")
        self.growth_mb = (self.peak_kb - self.before_kb) / 1024
        stats = [r.read_stats for r in self.caplog.records if hasattr(r, "read_stats")]
        self.child_mb = max((s.peak_kb for s in stats), default=0) / 1024
        self.reads = len(stats)
        return False

    def check(self, label):
        print(
            f"{label}: worker peak {self.peak_kb / 1024:.0f} MB (+{self.growth_mb:.0f} MB), "
            f"reading child peak {self.child_mb:.0f} MB"
        )
        assert self.reads >= 1, f"{label}: the file was not read through the guard"
        assert self.child_mb < 300, f"{label}: the reading child took {self.child_mb:.0f} MB"
        assert self.growth_mb < 100, f"{label}: the worker grew by {self.growth_mb:.0f} MB"


@pytest.fixture
def memory(caplog):
    caplog.set_level(logging.INFO, logger="campusgrid.imports")
    return lambda: Memory(caplog)


def _staged_files():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def _upload(path: Path):
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_guard_refuses_each_hostile_file_naming_the_limit(hostile_dir, memory, name):
    with memory() as used, pytest.raises(ValueError) as refused:
        read_rows(hostile_dir[name])
    assert HOSTILE[name][2] in str(refused.value), str(refused.value)
    used.check(name)


@pytest.mark.parametrize("name", THE_THREE)
def test_the_import_page_refuses_them(world, login, hostile_dir, memory, name):
    students, staff = Student.objects.count(), Staff.objects.count()
    client = login(world.office)
    for kind in ("roster", "staff"):
        with memory() as used:
            page = client.post("/grid/import/", {"kind": kind, "file": _upload(hostile_dir[name])})
        assert page.status_code == 200
        text = page.content.decode()
        assert HOSTILE[name][2] in text and "确认导入" not in text, name
        used.check(f"page {kind} {name}")
    assert (Student.objects.count(), Staff.objects.count()) == (students, staff)
    assert _staged_files() == []  # the refused upload is not kept


@pytest.mark.parametrize("name", THE_THREE)
def test_the_screening_page_and_api_refuse_them(world, login, api, semester, hostile_dir, memory, name):
    with memory() as used:
        page = login(world.counselor).post(
            reverse("dossiers:screening-import"), {"semester": SEMESTER, "file": _upload(hostile_dir[name])}
        )
    assert page.status_code == 200 and HOSTILE[name][2] in page.content.decode()
    used.check(f"screening page {name}")
    with memory() as used:
        answer = api(world.counselor).post(
            "/api/v1/screening-results/import/",
            {"semester": SEMESTER, "file": _upload(hostile_dir[name])},
            format="multipart",
        )
    assert answer.status_code == 400, answer.content
    assert HOSTILE[name][2] in answer.json()["errors"][0]["reason"]
    used.check(f"API {name}")
    assert not ScreeningResult.objects.exists()
    assert _staged_files() == []


@pytest.mark.parametrize("name", THE_THREE)
@pytest.mark.parametrize(
    "command,extra",
    [("import_roster", []), ("import_staff", []), ("import_screening", ["--semester", SEMESTER])],
)
def test_the_commands_refuse_them(semester, hostile_dir, memory, name, command, extra):
    students = Student.objects.count()
    out, err = io.StringIO(), io.StringIO()
    with memory() as used, pytest.raises(SystemExit) as exit_:
        call_command(command, str(hostile_dir[name]), *extra, stdout=out, stderr=err)
    assert exit_.value.code == 1
    assert HOSTILE[name][2] in err.getvalue(), err.getvalue()
    assert "未写入任何数据" in out.getvalue()
    used.check(f"{command} {name}")
    assert Student.objects.count() == students and not ScreeningResult.objects.exists()


def test_one_size_limit_for_page_api_and_command(world, login, api, semester, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1 * MB
    big = tmp_path / "big.csv"
    big.write_bytes("学号,姓名\n".encode() + b"2024010101,x\n" * 200_000)  # 2.6 MB
    message = "文件超过 1 MB 的大小上限"
    page = login(world.office).post("/grid/import/", {"kind": "roster", "file": _upload(big)})
    assert message in page.content.decode()
    screening = login(world.counselor).post(
        reverse("dossiers:screening-import"), {"semester": SEMESTER, "file": _upload(big)}
    )
    assert message in screening.content.decode()
    answer = api(world.counselor).post(
        "/api/v1/screening-results/import/", {"semester": SEMESTER, "file": _upload(big)}, format="multipart"
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_roster", str(big), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()


def test_a_file_that_exhausts_the_memory_cap_is_answered(tmp_path, settings):
    """Whatever gets past the checks meets the child's address-space cap, not the worker's."""
    settings.IMPORT_MAX_COLUMNS = 10**9
    settings.IMPORT_PARSE_MEMORY_BYTES = 160 * MB
    path = h.wide_csv(tmp_path / "wide.csv", columns=30_000_000)  # a list of 30M strings
    with pytest.raises(ValueError) as refused:
        read_rows(path)
    assert "超过 160 MB 的内存上限" in str(refused.value)


def test_a_file_that_takes_too_long_is_answered(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 10**7
    settings.IMPORT_PARSE_SECONDS = 1
    path = h.row_bomb_xlsx(tmp_path / "rows.xlsx", rows=400_000)
    with pytest.raises(ValueError) as refused:
        read_rows(path)
    assert "超过 1 秒的时间上限" in str(refused.value)


def test_a_real_roster_still_reads(tmp_path):
    from tests.grid import rosters as r

    rows = [r.student(f"A{n:05d}", "张三", 学院="化工学院", 班级="化工2401") for n in range(300)]
    path = r.write_xlsx(tmp_path / "roster.xlsx", rows)
    read = read_rows(path)
    assert len(read) == 301 and read[1][0] == "A00000"
