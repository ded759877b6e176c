"""Screenshots of the main pages, as people see them, for review: `make screenshots` with
`make run` going in another terminal. Writes screenshots/<page>-<width>.png."""
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


def main():
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
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
