"""The Excel score import in a real browser: the template downloaded, a large sheet uploaded with htmx and
queued, the background worker (a thread here, on the live server's database) running it while the
progress bar polls, then the outcome; a refused file after it.

The worker is held at its first progress report until the page has shown the reading state, so the test
sees every state without depending on how fast this machine reads 4,000 rows."""

from __future__ import annotations

import io
import re
import threading

import pytest
from openpyxl import load_workbook

from ganbu.campaigns import excel
from ganbu.campaigns.choices import ImportStatus
from ganbu.campaigns.models import StageScore
from ganbu.campaigns.tests.excel_support import scoring_campaign
from ganbu.jobs import worker
from ganbu.jobs.models import ImportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 4000


@pytest.fixture
def held_worker(monkeypatch):
    """A worker thread on the test database; it waits at its first progress report until released."""
    release = threading.Event()
    original = excel._Tracker.read

    def read(self, done, estimate):
        original(self, done, estimate)
        release.wait(60)

    monkeypatch.setattr(excel._Tracker, "read", read)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,), kwargs={"poll": 0.2}, daemon=True)
    thread.start()
    yield release
    release.set()
    stop.set()
    thread.join(30)


def test_a_large_import_shows_its_progress_then_its_outcome(
    browser_page,
    live_server,
    transactional_db,
    tree,
    make_user,
    artifacts_dir,
    monkeypatch,
    tmp_path,
    held_worker,
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    officer = make_user("org_officer", username="zzb", display_name="组织部干部科")
    campaign = scoring_campaign(officer, tree.root, ROWS, title="2025年公开选拔副科级领导干部")
    page = browser_page.page
    start = f"{live_server.url}/campaigns/{campaign.pk}/scores/import/"

    page.goto(start)
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill("pass-word-123")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/scores/import/$"))

    with page.expect_download() as download:
        page.get_by_role("link", name="笔试成绩模板").click()
    assert download.value.suggested_filename.endswith("笔试成绩导入模板.xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    for n, cells in enumerate(book["成绩"].iter_rows(min_row=2)):
        cells[3].value = 40 + n % 60
    filled = tmp_path / "笔试成绩.xlsx"
    book.save(filled)

    # Record every state the progress bar shows while the upload's own request is running.
    page.evaluate(
        """() => { window.seen = [];
        new MutationObserver(() => document.querySelectorAll('.import-progress').forEach(
            e => window.seen.push(e.dataset.status + ':' + e.dataset.done + '/' + e.dataset.total)))
          .observe(document.body, {subtree: true, childList: true}); }"""
    )
    page.get_by_label("成绩表（.xlsx）").set_input_files(str(filled))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector(".import-progress[data-status='reading']")
    page.screenshot(path=str(artifacts_dir / "score-import-progress.png"), full_page=True)
    held_worker.set()
    page.wait_for_selector("#import-done", timeout=60_000)
    assert f"已导入笔试成绩 {ROWS} 条" in page.locator("#import-done").inner_text()
    seen = page.evaluate("window.seen")
    assert any(s.startswith("queued:") for s in seen), seen
    assert any(s.startswith("reading:500/") for s in seen), seen
    assert seen[-1] == f"done:{ROWS}/{ROWS}", seen[-5:]
    assert f"已导入 {ROWS} 条" in page.locator("#recent-imports").inner_text()
    page.screenshot(path=str(artifacts_dir / "score-import-done.png"), full_page=True)
    assert StageScore.objects.filter(application__campaign=campaign).count() == ROWS
    assert ImportJob.objects.get().status == ImportStatus.DONE

    # A sheet with a bad row: nothing imported, the row named, the form ready for the next try.
    sheet = book["成绩"]
    sheet["D5"] = "缺席"
    bad = tmp_path / "有错的成绩.xlsx"
    book.save(bad)
    page.get_by_label("成绩表（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_selector("#import-errors", timeout=60_000)
    assert "第 5 行：成绩“缺席”不是数字。" in page.locator("#import-errors").inner_text()
    page.screenshot(path=str(artifacts_dir / "score-import-refused.png"), full_page=True)
    assert ImportJob.objects.filter(status=ImportStatus.FAILED).count() == 1
    assert browser_page.external_requests() == []
