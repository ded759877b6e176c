"""The import pages in a browser: upload, review with ignored columns and facility choices."""
import os

import pytest

from tests.e2e.conftest import login, shoot

pytestmark = pytest.mark.e2e


def test_staff_uploads_maps_a_column_and_chooses_a_facility(page, live_server, create_user, create_facility, tmp_path):
    create_facility(name="Pre-trial detention center No. 1, Minsk (Valadarka)", city="Minsk")
    user = create_user(role="staff")
    path = os.path.join(tmp_path, "list.csv")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("name,source_id,Zawód,facility,facility_city\n"
                 "A Person,s-1,teacher,Pre-trial detention center No. 1,Minsk\n"
                 "B Person,s-2,\"very, long \"\"quoted\"\" occupation\",,\n")
    login(page, live_server, user.email)
    page.goto(f"{live_server}/transfer/")
    page.set_input_files("input[type=file]", path)
    page.fill("input[name=source]", "memorial-pl")
    page.click("button:has-text('Check the file')")
    page.wait_for_selector("text=Ignored columns")
    assert page.locator("text=Same as").count() == 1
    assert page.locator("button:has-text('Import')").count() == 0  # a facility needs a choice first
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shoot(page, "import-review")
    page.select_option("select[name='map:Zawód']", "occupation")
    page.click("button:has-text('Save and check again')")
    page.wait_for_selector("text=Saved; the file is checked again")
    assert page.locator("text=Ignored columns").count() == 0
    page.check("input[type=radio][value=create]")
    page.click("button:has-text('Save choices and check again')")
    page.wait_for_selector("button:has-text('Import 2 change(s)')")
    page.click("button:has-text('Import 2 change(s)')")
    page.wait_for_selector("text=Waiting to be imported")
    assert page.console_errors == []
