"""Screenshots of the main pages, as people see them, for review: `make screenshots` with
`make run` going in another terminal. Writes screenshots/<page>-<width>.png, and the review set
of issue 19 (prisoner form with errors, matching suggestions, staff navigation open, audit log,
public page with "How you can help") as screenshots/review-<name>-<width>.png."""
import os
import sys

from playwright.sync_api import sync_playwright

BASE = os.environ.get("BASE", "http://127.0.0.1:5000")
OUT = os.environ.get("SCREENSHOTS_DIR", "screenshots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
STAFF = ["/staff/", "/prisoners/", "/prisoners/1", "/prisoners/new", "/parliamentarians/", "/pairings/", "/statements/",
         "/matching/", "/matching/prisoners/1", "/impact/", "/impact/godparents", "/impact/prisoners", "/impact/coverage",
         "/reminders/", "/reminders/outbox", "/transfer/", "/audit/"]
MEP = ["/portal/", "/portal/prisoners/{pid}", "/portal/prisoners/{pid}/letter", "/portal/statements/new", "/reminders/preferences"]
PUBLIC = ["/campaign/", "/campaign/report"]


def login(page, email):
    page.goto(f"{BASE}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo-password-change-me")
    page.click("button[type=submit]")


def review_set(browser, width):
    """The states a reviewer looks at, at one width."""
    def shot(page, name, full=True):
        page.screenshot(path=os.path.join(OUT, f"review-{name}-{width}.png"), full_page=full)
        print("wrote", f"review-{name}-{width}.png", file=sys.stderr)

    ctx = browser.new_context(viewport={"width": width, "height": 900}, timezone_id="Europe/Vilnius")
    page = ctx.new_page()
    login(page, "staff@demo.advocacy.example.org")
    page.goto(BASE + "/staff/")
    if width < 1024:
        page.click(".nav-menu > summary")
    else:
        page.click(".nav-dropdown > summary >> nth=0")
    shot(page, "staff-nav-open", full=False)
    page.goto(BASE + "/prisoners/new")
    page.fill("input[name=birth_date]", "2030-01-01")
    page.click("main form button[type=submit]")
    shot(page, "prisoner-form-errors")
    page.goto(BASE + "/matching/")
    href = page.locator("main a[href^='/matching/prisoners/']").first.get_attribute("href")
    page.goto(BASE + href)
    shot(page, "matching-suggestions", full=False)
    page.goto(BASE + "/audit/")
    shot(page, "audit-log", full=False)
    ctx.close()
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto(BASE + "/campaign/")
    href = page.locator(".public-card h3 a").first.get_attribute("href")
    page.goto(BASE + href)
    shot(page, "public-how-you-can-help")
    ctx.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in (1280, 390):
            review_set(browser, width)
        for width in (1280, 390):
            for who, paths in (("public", PUBLIC), ("staff", STAFF), ("mep", MEP)):
                ctx = browser.new_context(viewport={"width": width, "height": 900})
                page = ctx.new_page()
                if who != "public":
                    login(page, f"{who}@demo.advocacy.example.org")
                pid = None
                if who == "mep":
                    link = page.locator("a[href^='/portal/prisoners/']").first
                    pid = link.get_attribute("href").rsplit("/", 1)[-1]
                for path in paths:
                    page.goto(BASE + path.format(pid=pid))
                    name = f"{who}{path.replace('/', '_').rstrip('_')}-{width}.png".replace("{pid}", "x")
                    page.screenshot(path=os.path.join(OUT, name), full_page=True)
                    print("wrote", name, file=sys.stderr)
                ctx.close()
        browser.close()


if __name__ == "__main__":
    main()
