#!/usr/bin/python3
"""The camp's public face over HTTP, as `camp serve` serves it.

Members post at every visibility level over ssh, with content warnings,
replies and boosts across levels, each text carrying a marker word of its
own.  A crawl of every page and feed reachable from / and the members'
profiles (every same-origin link, HTML and Atom, and the ActivityPub
documents pages link to) finds
the public markers where they belong and no marker of any other post
anywhere: not in bodies, titles or metadata.  Every post is also asked
for directly by id.  Feeds are parsed by feedparser and checked for what
Atom requires; hostile names, intros and a remote server's hostile note
stay inert text; ActivityPub clients still get JSON from the same URLs;
ETags give 304s; pages are under 30 KB and read well in lynx."""
import html.parser
import json
import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import feedparser

import fedmock
from camplib import conf_value, contains, eq, keygen, main, start_camp, test

srv, admin_code, tmp = start_camp(max_post_chars="500")
keys = {name: keygen(tmp, name) for name in ("alice", "bob", "carol", "dave")}
srv.join(keys["alice"], "alice", admin_code)
for name in ("bob", "carol", "dave"):
    srv.join(keys[name], name)
http = "http://" + conf_value(srv.dir, "http_listen")
domain = conf_value(srv.dir, "domain")
ssh_port = conf_value(srv.dir, "ssh_listen").rsplit(":", 1)[1]
ATOM = "{http://www.w3.org/2005/Atom}"
PAGE_MAX = 30000


def run(who, *argv, check=0):
    return srv.cmd(who, keys[who], *argv, check=check)


def post(who, text, *flags):
    return int(run(who, "post", *flags, text).out.strip())


def fetch(url, accept="text/html", headers=None, method="GET"):
    """(status, headers, body text) of url."""
    req = urllib.request.Request(url, method=method,
                                 headers=dict({"Accept": accept}, **(headers or {})))
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


# ---- the camp: every level, replies and boosts across levels ----------------

M = {}  # marker name -> marker word
ids = {}  # marker name -> post id
SECRET = set()  # markers of posts no page may show


def marker(name, secret):
    M[name] = "mk%s%s" % (name.replace("_", ""), secrets.token_hex(3))
    if secret:
        SECRET.add(name)
    return M[name]


def fill_camp():
    run("bob", "follow", "alice")
    run("carol", "follow", "alice")
    for vis in ("public", "unlisted", "followers", "camp", "neighborhood"):
        ids[vis] = post("alice", "%s #campfire" % marker(vis, vis not in (
            "public", "unlisted")), "--visibility", vis)
    ids["direct"] = post("alice", "@carol %s #campfire" % marker("direct", True),
                         "--visibility", "direct")
    ids["cwpub"] = post("alice", marker("cwpubbody", False), "--cw",
                        marker("cwpub", False), "--visibility", "public")
    ids["cwcamp"] = post("alice", marker("cwcampbody", True), "--cw",
                         marker("cwcamp", True), "--visibility", "camp")
    replies = [  # (name, who, parent, visibility, secret)
        ("r_pub_followers", "bob", "public", "followers", True),
        ("r_pub_direct", "bob", "public", "direct", True),
        ("r_pub_camp", "carol", "public", "camp", True),
        ("r_pub_unlisted", "carol", "public", "unlisted", False),
        ("r_pub_public", "bob", "public", "public", False),
        ("r_camp_public", "carol", "camp", "public", False),
        ("r_fol_public", "bob", "followers", "public", False),
        ("r_nbr_public", "carol", "neighborhood", "public", False),
        ("r_direct_public", "carol", "direct", "public", False),
    ]
    for name, who, parent, vis, secret in replies:
        text = ("@alice " if vis == "direct" else "") + marker(name, secret)
        ids[name] = post(who, text, "--reply-to", ids[parent], "--visibility", vis)
    # A public reply under a camp-only reply under a public post.
    ids["r_deep"] = post("dave", marker("r_deep", False), "--reply-to",
                         ids["r_pub_camp"], "--visibility", "public")
    run("bob", "boost", ids["public"])
    run("bob", "boost", ids["unlisted"])
    run("alice", "boost", ids["followers"])
    run("alice", "boost", ids["camp"])
    # Enough public posts to page alice's profile, each near the limit.
    for i in range(22):
        post("alice", "filler %d %s" % (i, "wood & smoke <by the lake> " * 17))
    ids["newest"] = post("alice", marker("newest", False) + " #campfire")


fill_camp()


def secret_words():
    return [M[name] for name in SECRET]


def assert_no_secret(body, where):
    for name in SECRET:
        if M[name] in body:
            raise AssertionError("%s (a %s post) shows at %s" % (M[name], name, where))


# ---- crawling -------------------------------------------------------------------


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (href, type)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.found.append((a["href"], a.get("type")))


def links_of(body, ctype):
    if "html" in ctype:
        p = Links()
        p.feed(body)
        return p.found
    if "atom" in ctype:
        root = ET.fromstring(body)
        return [(l.get("href"), l.get("type")) for l in root.iter(ATOM + "link")]
    return []


def crawl(limit=400):
    """Every same-origin URL reachable from / and from each member's
    profile (where a link from elsewhere lands): url -> (status, type,
    body)."""
    seen, queue = {}, [(http + "/", "text/html")]
    queue += [("%s/@%s" % (http, name), "text/html") for name in keys]
    while queue and len(seen) < limit:
        url, kind = queue.pop(0)
        if url in seen:
            continue
        accept = kind if kind and "json" in kind else "text/html"
        status, headers, body = fetch(url, accept)
        ctype = headers.get("Content-Type", "")
        seen[url] = (status, ctype, body)
        for href, typ in links_of(body, ctype):
            full = urllib.parse.urljoin(url, href).split("#")[0]
            if full.startswith(http + "/") and full not in seen:
                queue.append((full, typ))
    assert len(seen) < limit, "the crawl did not end"
    return seen


pages = crawl()


@test
def the_crawl_finds_every_public_post_and_no_other():
    everything = "".join(b for _, _, b in pages.values())
    for url, (status, ctype, body) in pages.items():
        eq(status, 200, url)
        assert_no_secret(body, url)
        if "html" in ctype:
            assert len(body.encode()) < PAGE_MAX, "%s is %d bytes" % (url, len(body))
    for name in M:
        if name not in SECRET:
            contains(everything, M[name], "the crawl found the %s post" % name)
    kinds = {c.split(";")[0] for _, c, _ in pages.values()}
    eq(kinds, {"text/html", "application/atom+xml", "application/activity+json"},
       "what the crawl fetched")
    assert any("max_id=" in u for u in pages), "no second page of alice's posts"
    assert any("/tags/campfire" in u for u in pages)


@test
def no_page_of_a_hidden_post_exists():
    authors = {"r_pub_followers": "bob", "r_pub_direct": "bob", "r_pub_camp": "carol"}
    for name in SECRET:
        if name not in ids:
            continue
        for path in ("/posts/%d" % ids[name],
                     "/@%s/%d" % (authors.get(name, "alice"), ids[name])):
            for accept in ("text/html", "application/activity+json"):
                status, _, body = fetch(http + path, accept)
                eq(status, 404, "%s (%s) as %s" % (path, name, accept))
                assert_no_secret(body, path)
    # A public post is not found under another member's name.
    eq(fetch(http + "/@bob/%d" % ids["public"])[0], 404)


@test
def replies_to_hidden_posts_name_no_parent():
    for name, parent in (("r_camp_public", "camp"), ("r_fol_public", "followers"),
                         ("r_nbr_public", "neighborhood"),
                         ("r_direct_public", "direct")):
        author = "bob" if name == "r_fol_public" else "carol"
        status, _, body = fetch("%s/@%s/%d" % (http, author, ids[name]))
        eq(status, 200, name)
        contains(body, M[name])
        assert "In reply to" not in body, body
        assert "/%d\"" % ids[parent] not in body, "%s links its parent" % name
    status, _, body = fetch("%s/@bob/%d" % (http, ids["r_pub_public"]))
    contains(body, "In reply to")
    contains(body, "/@alice/%d\"" % ids["public"])


@test
def a_public_posts_page_shows_its_public_thread():
    status, _, body = fetch("%s/@alice/%d" % (http, ids["public"]))
    eq(status, 200)
    for name in ("public", "r_pub_unlisted", "r_pub_public"):
        contains(body, M[name])
    assert M["r_deep"] not in body, "a reply under a camp-only reply showed"
    contains(body, "2 replies")  # the public and the unlisted ones
    contains(body, "1 boost")
    status, _, body = fetch("%s/@alice/%d" % (http, ids["cwpub"]))
    contains(body, "<details><summary>%s</summary><p>%s</p></details>"
             % (M["cwpub"], M["cwpubbody"]))


def profile_pages(name):
    """Every page of a member's profile, following "Older posts"."""
    url, bodies = "%s/@%s" % (http, name), []
    while url:
        status, _, body = fetch(url)
        eq(status, 200, url)
        bodies.append(body)
        older = re.search(r'href="([^"]*max_id=\d+)">Older posts', body)
        url = older.group(1) if older else None
        assert len(bodies) < 10, "endless paging"
    return bodies


@test
def profiles_feeds_and_tags_each_show_what_they_should():
    profile = profile_pages("alice")
    assert len(profile) >= 2, "alice's posts fit on one page"
    contains(profile[0], M["newest"])
    contains(profile[0], "@alice@" + domain)
    everything = "".join(profile)
    for name in ("public", "unlisted", "cwpub"):
        eq(everything.count(M[name]), 1, "the %s post on alice's profile" % name)
    _, _, bob = fetch(http + "/@bob")
    contains(bob, "boosted")
    contains(bob, M["public"])  # bob's boost of a public post
    assert M["unlisted"] not in bob, "a boost of an unlisted post is on a profile"
    for path in ("/feed.atom", "/@alice/feed.atom", "/tags/campfire", "/tags/CampFire"):
        status, _, body = fetch(http + path)
        eq(status, 200, path)
        assert M["unlisted"] not in body, "the unlisted post is in " + path
        contains(body, M["newest"], path)
        assert_no_secret(body, path)


def atom_check(body, what):
    """Parses a feed with feedparser and checks RFC 4287's musts."""
    f = feedparser.parse(body)
    eq(f.bozo, 0, "%s parses cleanly (%r)" % (what, f.get("bozo_exception")))
    eq(f.version, "atom10", what)
    root = ET.fromstring(body)
    eq(root.tag, ATOM + "feed", what)
    for child in ("id", "title", "updated"):
        assert root.find(ATOM + child) is not None, "%s lacks %s" % (what, child)
    stamp = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    feed_author = root.find(ATOM + "author") is not None
    entries = root.findall(ATOM + "entry")
    assert entries, what + " has no entries"
    for e in entries:
        for child in ("id", "title", "updated", "published", "content"):
            assert e.find(ATOM + child) is not None, "an entry of %s lacks %s" % (
                what, child)
        assert stamp.match(e.find(ATOM + "updated").text), what
        assert feed_author or e.find(ATOM + "author") is not None, what
        link = e.find(ATOM + "link")
        eq(link.get("rel"), "alternate", what)
    eq(len(f.entries), len(entries), what)
    return f


@test
def the_atom_feeds_validate():
    status, headers, body = fetch(http + "/@alice/feed.atom", "*/*")
    eq(status, 200)
    contains(headers["Content-Type"], "application/atom+xml")
    f = atom_check(body, "alice's feed")
    titles = [e.title for e in f.entries]
    eq(len(titles), 20, "entries in alice's feed")
    contains(titles[0], M["newest"])
    status, _, body = fetch(http + "/feed.atom")
    atom_check(body, "the camp's feed")
    for page in (http + "/", http + "/@alice"):
        contains(fetch(page)[2], 'type="application/atom+xml"', page)


# ---- hostile text ---------------------------------------------------------------

EVIL_NAME = "<script>alert(1)</script>\u202eevil"
EVIL_INTRO = '"><img src=x onerror=alert(2)> javascript:alert(3)'


@test
def hostile_names_and_intros_are_inert():
    run("dave", "profile", "--name", EVIL_NAME)
    run("dave", "profile", "--intro", EVIL_INTRO)
    pid = post("dave", "hello from dave #campfire")
    for path in ("/@dave", "/@dave/%d" % pid, "/tags/campfire", "/@dave/feed.atom",
                 "/feed.atom"):
        status, _, body = fetch(http + path)
        eq(status, 200, path)
        for bad in ("<script", "<img", "\u202e", 'href="javascript'):
            assert bad not in body, "%r in %s" % (bad, path)
        contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;\ufffdevil", path)
    body = fetch(http + "/@dave")[2]
    contains(body, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; javascript:alert(3)")


@test
def a_remote_servers_hostile_note_is_inert():
    mock, key = fedmock.Mock(), fedmock.Key()
    actor = mock.origin + "/users/mallory"
    doc = fedmock.actor_doc(actor, key, name="mallory")
    doc["name"] = "<script>alert(4)</script>\u202emallory"
    doc["url"] = "javascript:alert(5)"
    doc["summary"] = '<img src=x onerror="alert(6)">'
    mock.serve("/users/mallory", doc)
    note = {"id": actor + "/notes/1", "type": "Note", "attributedTo": actor,
            "inReplyTo": "%s/posts/%d" % (http, ids["public"]),
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "url": "javascript:alert(7)",
            "published": "2026-01-01T00:00:00Z",
            "content": '<p>&lt;script&gt;alert(8)&lt;/script&gt; <a href="javascript:'
                       'alert(9)">click</a> https://ok.example/\u202etxt.exe '
                       '<a href="https://ok.example/fine">fine</a></p>'}
    create = {"@context": fedmock.AS, "id": actor + "/notes/1/activity",
              "type": "Create", "actor": actor, "object": note,
              "to": note["to"]}
    status, text = fedmock.signed_request(http, "POST", "/inbox", key,
                                          actor + "#main-key", create)
    eq(status, 202, "the Create (%s)" % text)
    status, _, body = fetch("%s/@alice/%d" % (http, ids["public"]))
    contains(body, "&lt;script&gt;alert(8)&lt;/script&gt;")
    contains(body, "&lt;script&gt;alert(4)&lt;/script&gt;\ufffdmallory")
    for bad in ("<script", "<img", "\u202e", "javascript:", "onerror"):
        assert bad not in body, "%r on the page" % bad
    contains(body, '<a href="https://ok.example/fine" rel="nofollow ugc noopener">')
    contains(body, 'rel="nofollow ugc noopener">mallory@')


# ---- HTTP: negotiation, caching ---------------------------------------------------


@test
def activitypub_clients_still_get_json_from_the_same_urls():
    as_json = ('application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
               "application/activity+json", "application/activity+json, text/html",
               "*/*")
    for path, typ in (("/users/alice", "Person"), ("/@alice", "Person"),
                      ("/posts/%d" % ids["public"], "Note"),
                      ("/@alice/%d" % ids["public"], "Note")):
        for accept in as_json:
            status, headers, body = fetch(http + path, accept)
            eq(status, 200, "%s as %s" % (path, accept))
            contains(headers["Content-Type"], "application/activity+json")
            eq(json.loads(body)["type"], typ, path)
            eq(headers.get("Vary"), "Accept", path)
        status, headers, body = fetch(http + path, "text/html,application/xhtml+xml,"
                                      "application/xml;q=0.9,*/*;q=0.8")
        eq(status, 200, path)
        contains(headers["Content-Type"], "text/html")
        eq(headers.get("Vary"), "Accept", path)
        csp = headers["Content-Security-Policy"]
        assert "script-src" not in csp and "unsafe" not in csp, csp
        contains(csp, "default-src 'none'")


@test
def etags_and_dates_give_304():
    url = http + "/@alice"
    status, headers, body = fetch(url)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    eq(headers["Cache-Control"], "no-cache")
    status, _, again = fetch(url, headers={"If-None-Match": etag})
    eq((status, again), (304, ""))
    eq(fetch(url, headers={"If-Modified-Since": modified})[0], 304)
    eq(fetch(url, headers={"If-None-Match": '"other"'})[0], 200)
    status, headers, body = fetch(url, method="HEAD")
    eq((status, body, headers["ETag"]), (200, "", etag))
    post("alice", "a new post changes the page")
    eq(fetch(url, headers={"If-None-Match": etag})[0], 200)


# ---- lynx ----------------------------------------------------------------------------


def lynx(path):
    p = subprocess.run(["lynx", "-dump", "-width=100", http + path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       env={"HOME": tmp, "TERM": "dumb", "PATH": "/usr/bin:/bin"})
    eq(p.returncode, 0, "lynx " + path)
    return p.stdout.decode("utf-8", "replace")


@test
def the_pages_read_well_in_lynx():
    about = lynx("/")
    for words in ("Joining", "ssh -p %s join@127.0.0.1" % ssh_port, "SHA256:",
                  "(ED25519)", "Who looks after the camp", "alice", "House rules",
                  "Code of conduct", M["newest"]):
        contains(about, words, "the About page in lynx")
    profile = lynx("/@alice")
    for words in ("@alice@" + domain, "Joined", M["newest"], "Older posts",
                  "References"):
        contains(profile, words, "alice's profile in lynx")
    thread = lynx("/@alice/%d" % ids["public"])
    for words in (M["public"], "Replies", M["r_pub_unlisted"], M["r_pub_public"]):
        contains(thread, words, "a thread in lynx")
    cw = lynx("/@alice/%d" % ids["cwpub"])
    contains(cw, M["cwpub"])
    contains(cw, M["cwpubbody"])
    tag = lynx("/tags/campfire")
    contains(tag, "#campfire")
    contains(tag, M["public"])
    for text in (about, profile, thread, cw, tag):
        assert "<p>" not in text and "&lt;" not in text and "&amp;" not in text, text
        assert_no_secret(text, "lynx")


@test
def no_process_of_the_camp_reported_a_problem():
    srv.assert_clean_log()


main()
