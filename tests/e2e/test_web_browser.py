#!/usr/bin/python3
"""The camp's pages in a real browser.  Debian's headless Chromium,
driven over the DevTools protocol (browser.py), loads the About, profile,
post and tag pages that `camp serve` serves and finds in them what the
members wrote over ssh, with no exception, console error, failed load or
Content-Security-Policy violation.  The inline stylesheet applies (its
hash is the one the CSP names), in light, dark and print; a hostile
display name stays text in the DOM.  A first test shows that the harness
does see such errors, so their absence means something."""
import browser
from camplib import conf_value, contains, eq, keygen, main, start_camp, test

CAMP = "Lakeside <Camp> & Co"
srv, admin_code, tmp = start_camp(camp_name=CAMP)
keys = {name: keygen(tmp, name) for name in ("alice", "bob")}
srv.join(keys["alice"], "alice", admin_code)
srv.join(keys["bob"], "bob")
http = "http://" + conf_value(srv.dir, "http_listen")
ssh_port = conf_value(srv.dir, "ssh_listen").rsplit(":", 1)[1]
EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>\u202eevil"


def run(who, *argv):
    return srv.cmd(who, keys[who], *argv, check=0)


def post(who, text, *flags):
    return int(run(who, "post", *flags, text).out.strip())


run("alice", "profile", "--name", "Alice Lakeside")
run("alice", "profile", "--intro", "Swims at dawn, codes at dusk.")
run("bob", "profile", "--name", EVIL)
first = post("alice", "Morning swim, the lake was glass. #campfire")
spoiler = post("alice", "The butler did it.", "--cw", "Book ending")
post("alice", "Nobody outside sees this", "--visibility", "camp")
reply = post("bob", "Jealous! See you there tomorrow.", "--reply-to", first)
chrome = browser.Browser()

# What every page is asked, besides its text.
NO_MARKUP = ("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
             ".some(a => a.name.startsWith('on'))).length")
PROBES = ("document.querySelectorAll('script, img, iframe, object').length",
          NO_MARKUP, "getComputedStyle(document.body).backgroundColor",
          "document.querySelector('link[type=\"application/atom+xml\"]')?.href")
LIGHT = "rgb(251, 247, 240)"


def load(path, *extra, **kw):
    page = chrome.load(http + path, PROBES + extra, **kw)
    eq(page.errors, [], "errors on " + path)
    v = page.values
    eq(v[PROBES[0]], 0, "scripts, images or frames on " + path)
    eq(v[PROBES[1]], 0, "event handler attributes on " + path)
    return page


@test
def the_harness_sees_errors_and_csp_violations():
    bad = chrome.load("data:text/html,<meta http-equiv='Content-Security-Policy' "
                      "content=\"default-src 'none'\"><style>p{color:red}</style>"
                      "<p>x</p><img src='http://127.0.0.1:9/x.png'>")
    assert any("CSP violation" in e for e in bad.errors), bad.errors
    assert any("style" in e for e in bad.errors), bad.errors
    thrown = chrome.load("data:text/html,<p>y</p><script>throw new Error('boom')"
                         "</script>")
    assert any("boom" in e for e in thrown.errors), thrown.errors


@test
def the_about_page():
    page = load("/")
    eq(page.title, CAMP)
    for text in (CAMP, "2 members", "Joining", "ssh -p %s join@127.0.0.1" % ssh_port,
                 "SHA256:", "(ED25519)", "Alice Lakeside", "admin", "House rules",
                 "Code of conduct", "Be kind", "Morning swim"):
        contains(page.text, text, "the About page")
    assert "Nobody outside" not in page.text
    eq(page.values[PROBES[2]], LIGHT, "the stylesheet applies")
    eq(page.values[PROBES[3]], http + "/feed.atom")


@test
def a_profile_page():
    page = load("/@alice", "document.querySelector('h1').textContent")
    for text in ("Alice Lakeside", "@alice@", "Swims at dawn, codes at dusk.",
                 "Joined", "2 posts", "Morning swim, the lake was glass.",
                 "Book ending", "Atom feed"):
        contains(page.text, text, "alice's profile")
    assert "Nobody outside" not in page.text
    assert "The butler did it." not in page.text, "the CW is not collapsed"
    eq(page.values["document.querySelector('h1').textContent"], "Alice Lakeside")
    eq(page.values[PROBES[3]], http + "/@alice/feed.atom")
    eq(page.title, "Alice Lakeside (@alice@%s) - %s" % (conf_value(srv.dir, "domain"),
                                                        CAMP))


@test
def a_post_page_with_its_thread():
    page = load("/@alice/%d" % first, "document.querySelectorAll('ol.thread "
                "article').length", "document.querySelector('.counts').textContent")
    contains(page.text, "Morning swim, the lake was glass.")
    contains(page.text, "Jealous! See you there tomorrow.")
    eq(page.values["document.querySelectorAll('ol.thread article').length"], 1)
    eq(page.values["document.querySelector('.counts').textContent"], "1 reply")
    page = load("/posts/%d" % spoiler, "document.querySelector('details').open",
                "document.querySelector('summary').textContent",
                "document.querySelector('details').textContent")
    eq(page.values["document.querySelector('details').open"], False)
    eq(page.values["document.querySelector('summary').textContent"], "Book ending")
    contains(page.values["document.querySelector('details').textContent"],
             "The butler did it.")
    assert "The butler did it." not in page.text, "the CW is not collapsed"


@test
def a_tag_page():
    page = load("/tags/campfire")
    contains(page.text, "#campfire")
    contains(page.text, "Morning swim, the lake was glass.")
    eq(page.title, "#campfire - " + CAMP)


@test
def a_hostile_name_is_text_in_the_dom():
    for path in ("/@bob", "/@bob/%d" % reply, "/@alice/%d" % first):
        page = load(path, "[...document.querySelectorAll('bdi')].map(e => "
                    "e.textContent).join('|')")
        names = page.values["[...document.querySelectorAll('bdi')].map(e => "
                            "e.textContent).join('|')"]
        contains(names, "<img src=x onerror=alert(1)><script>alert(2)</script>"
                 "\ufffdevil", path)
        assert "\u202e" not in page.text + page.title


@test
def dark_and_print_styles_apply():
    dark = load("/@alice", media=[{"name": "prefers-color-scheme", "value": "dark"}])
    eq(dark.values[PROBES[2]], "rgb(26, 22, 19)", "the dark background")
    printed = load("/@alice", media="print")
    eq(printed.values[PROBES[2]], "rgb(255, 255, 255)", "the printed background")


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
