#!/usr/bin/python3
"""The man pages: camp(8) and camp(7) render with man -l without a
warning, and say the same as the program.  Every command `camp help`
lists is in camp(8) with the same usage, every key `camp init` writes is
in camp(8) with its default, every command `ssh ... help` lists is in
camp(7) with the same usage, and neither page documents anything the
program does not have."""
import os
import re
import subprocess

from camplib import (ROOT, Server, camp, contains, eq, init_camp, keygen, test,
                     tmpdir, main)

PAGES = {8: os.path.join(ROOT, "man", "camp.8"), 7: os.path.join(ROOT, "man", "camp.7")}


def render(page):
    """The page as man -l prints it, on one line per paragraph's worth of
    width, with no warning allowed."""
    env = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="1000")
    p = subprocess.run(["man", "--warnings", "-l", PAGES[page]], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = p.stderr.decode("utf-8", "replace")
    eq((p.returncode, err), (0, ""), "man -l camp.%d" % page)
    return re.sub(".\b", "", p.stdout.decode("utf-8"))


def section(text, name):
    """A rendered section's text, its whitespace made single spaces."""
    m = re.search(r"^%s\n(.*?)(?=^\S)" % re.escape(name), text + "\nEND\n", re.S | re.M)
    assert m, "no section %s" % name
    return " ".join(m.group(1).split())


def tagged(page, name):
    """The first words of every .TP tag in a section of the page's roff
    source, with the font escapes taken out."""
    src = open(PAGES[page]).read()
    m = re.search(r"^\.SH %s\n(.*?)(?=^\.SH )" % re.escape(name), src, re.S | re.M)
    assert m, "no .SH %s in camp.%d" % (name, page)
    lines = m.group(1).splitlines()
    tags = []
    for i, line in enumerate(lines[:-1]):
        if line == ".TP":
            tag = re.sub(r"\\f[BIRP]", "", lines[i + 1]).replace("\\-", "-")
            tags.append(tag.split())
    return tags


def help_usages(text, indent):
    """Usage lines of a help listing: those indented by exactly indent."""
    return [l.strip() for l in text.splitlines()
            if l.startswith(indent) and not l.startswith(indent + " ")]


@test
def both_pages_render_without_warnings():
    for page in PAGES:
        text = render(page)
        contains(text, "CAMP(%d)" % page)
        contains(text, "NAME\n       camp - ")
        contains(text, "SEE ALSO")


@test
def camp_8_lists_every_operator_command_as_camp_help_does():
    usages = help_usages(camp("help", check=0).out, "  ")
    assert len(usages) >= 5 and all(u.startswith("camp ") for u in usages), usages
    commands = section(render(8), "COMMANDS")
    for usage in usages:
        contains(commands, usage, "camp(8) COMMANDS")
    names = sorted(u.split()[1] for u in usages)
    eq(sorted(t[1] for t in tagged(8, "COMMANDS")), names, "commands in camp(8)")


@test
def camp_8_lists_every_configuration_key_with_its_default():
    d = os.path.join(tmpdir(), "c")
    camp("init", d, check=0)
    defaults = {}
    default = None
    for line in open(os.path.join(d, "camp.conf")):
        m = re.match(r"# \(default: (.*)\)$", line.rstrip("\n"))
        if m:
            default = m.group(1)
        elif re.match(r"\w+ = ", line):
            defaults[line.split(" = ")[0]] = default
    assert len(defaults) >= 15, defaults
    conf = section(render(8), "CONFIGURATION")
    for key, value in defaults.items():
        contains(conf, "%s = %s " % (key, value or "(empty)"), "camp(8) CONFIGURATION")
    eq(sorted(t[0] for t in tagged(8, "CONFIGURATION")), sorted(defaults),
       "keys in camp(8)")


@test
def camp_7_lists_every_command_as_ssh_help_does():
    d, code = init_camp()
    srv = Server(d)
    key = keygen(tmpdir(), "ada")
    srv.join(key, "ada", code)  # the first invite makes an admin: all commands
    out = srv.ssh("ada", key, "help", check=0).out
    usages = help_usages(out, "  ")
    assert len(usages) >= 20, out
    commands = section(render(7), "COMMANDS")
    for usage in usages:
        contains(commands, usage, "camp(7) COMMANDS")
    names = sorted(u.split()[0] for u in usages)
    eq(sorted(t[0] for t in tagged(7, "COMMANDS")), names, "commands in camp(7)")


if __name__ == "__main__":
    main()
