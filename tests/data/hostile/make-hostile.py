#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the hostile bundles of tests/data/hostile/ (test-hostile.c opens
every one of them in the running app).

    tests/data/hostile/make-hostile.py [DIR]

A file named refused-*.json must be refused as a whole (the bundle format's
Errors table); every other file must open, however hostile its text. The
outputs are committed; each stays well under 1 MB. Run this again after
changing it and commit what changes.
"""

import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

# Text that shows "MKUP" right after a tag wherever it is shown literally:
# test-hostile.c holds every label to that, so markup that was interpreted
# (the tag gone, "MKUP" bold or red) is caught whatever the widget.
MKUP = ('<b>MKUP</b> <span foreground="red" size="xx-large">MKUP</span> &amp; &lt;i&gt; '
        '<a href="https://evil.example/">MKUP</a> </markup> &#x41;&#65; &nbsp; '
        '<i>MKUP unclosed <markup>MKUP <tt')
HTML = ('<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- c --> '
        '<![CDATA[ x ]]> <style>*{}</style> <?php ?> <!DOCTYPE html> &#0; &#xD800; &#1114112;')

RLO, LRO, RLE, LRE, PDF = '\u202e', '\u202d', '\u202b', '\u202a', '\u202c'
LRI, RLI, FSI, PDI = '\u2066', '\u2067', '\u2068', '\u2069'
BIDI = RLO + 'evil' + RLE + 'gpj.exe' + LRI + 'open' + FSI + RLI + 'x' + LRO

CONTROLS = ''.join(chr(c) for c in list(range(1, 0x20)) + list(range(0x7f, 0xa0)))
ANSI = '\x1b[2J\x1b[31mRED\x1b[0m\x07\x08\x08\x08'

ZERO_WIDTH = '\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u061c'

EMOJI = ('👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 🇯🇵🇺🇳 👍🏽 1️⃣ 🧑🏿\u200d🚀 '
         + '\u200d'.join(['👨'] * 200) + ' 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f')


def write_bytes(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def write_json(name, obj, bom=False):
    # Readable where small, compact where large.
    text = json.dumps(obj, ensure_ascii=False, separators=(',', ':'))
    if len(text) < 20000:
        text = json.dumps(obj, ensure_ascii=False, indent=1)
    data = text.encode('utf-8')
    if bom:
        data = b'\xef\xbb\xbf' + data
    write_bytes(name, data)


def bundle(title, entries, **extra):
    b = {'format': 'gloss-bundle', 'version': 1, 'title': title}
    b.update(extra)
    b['entries'] = entries
    return b


def entry(eid, term, **fields):
    e = {'id': eid, 'term': term}
    e.update(fields)
    return e


def destination(target):
    """@target as a Markdown link destination: no spaces, balanced parentheses."""
    for c, escaped in ((' ', '%20'), ('\t', '%09'), ('\n', '%0A'), ('(', '%28'), (')', '%29')):
        target = target.replace(c, escaped)
    return target


def every_field(s, eid='e1', term=None, category=None):
    """An entry with @s in every text field."""
    return entry(eid, term if term is not None else 'Term ' + s,
                 title='Title ' + s,
                 aliases=['Alias ' + s, s],
                 summary='Summary ' + s,
                 category=category,
                 tags=['tag ' + s, s],
                 notice='Notice ' + s,
                 sources=['Source ' + s],
                 stats=[{'label': 'Label ' + s, 'value': 'Value ' + s, 'note': 'Note ' + s}],
                 sections=[{'heading': 'Heading ' + s, 'body': 'Body ' + s + '\n\n* item ' + s +
                            '\n\n> quote ' + s + '\n\n# heading ' + s + '\n\n`code ' + s + '`'}],
                 faq=[{'question': 'Question ' + s, 'answer': 'Answer ' + s}],
                 related=['e2'])


VALID_HEAD = b'{"format":"gloss-bundle","version":1,"title":"T",'

# ---------------------------------------------------------------- refused


def refused():
    write_bytes('refused-syntax-error.json',
                b'{\n  "format": "gloss-bundle",\n  "version": 1,\n  oops <b>MKUP</b>\n}\n')
    write_bytes('refused-bom-garbage.json', b'\xef\xbb\xbfgarbage <i>MKUP</i> \x1b[2J')
    write_bytes('refused-control-garbage.json', b'\x1b[2J\x07<b>MKUP</b>')
    write_bytes('refused-bidi-garbage.json', '\u202e{}'.encode('utf-8'))
    write_bytes('refused-markup-garbage.json', b'{"format":"gloss-bundle",<span>:1}')
    write_bytes('refused-empty-file.json', b'')
    write_bytes('refused-whitespace-only.json', b' \n\t\n ')
    write_bytes('refused-nesting-65.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A","x":' + b'[' * 62 + b']' * 62 +
                b'}]}')
    write_bytes('refused-nesting-20000.json',
                VALID_HEAD + b'"entries":[],"x":' + b'[' * 20000 + b']' * 20000 + b'}')
    write_bytes('refused-nul-escape.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A\\u0000<b>MKUP</b>"}]}')
    write_bytes('refused-lone-surrogate.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A\\ud800"}]}')
    write_bytes('refused-lone-low-surrogate.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"\\udc00\\ud800"}]}')
    write_bytes('refused-duplicate-key.json',
                b'{"format":"gloss-bundle","version":1,"title":"<b>MKUP</b>",'
                b'"title":"Second","entries":[]}')
    write_bytes('refused-invalid-utf8.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A\xff\xfe <b>MKUP</b>"}]}')
    write_bytes('refused-overlong-utf8.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"\xc0\xaf\xe0\x80\xaf"}]}')
    write_bytes('refused-utf8-surrogate-bytes.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"\xed\xa0\x80"}]}')
    write_bytes('refused-utf16.json',
                '{"format":"gloss-bundle","version":1,"entries":[]}'.encode('utf-16'))
    write_bytes('refused-wrong-format.json',
                b'{"format":"<b>MKUP</b> gloss-bundel\\u001b[2J","version":1,"entries":[]}')
    write_bytes('refused-format-missing.json', b'{"version":1,"title":"T","entries":[]}')
    write_bytes('refused-newer-version.json',
                b'{"format":"gloss-bundle","version":2,"title":"T","entries":[]}')
    write_bytes('refused-version-float.json',
                b'{"format":"gloss-bundle","version":1.0,"title":"T","entries":[]}')
    write_bytes('refused-version-wraps.json',
                b'{"format":"gloss-bundle","version":18446744073709551617,"title":"T",'
                b'"entries":[]}')
    write_bytes('refused-version-string.json',
                b'{"format":"gloss-bundle","version":"1","title":"T","entries":[]}')
    write_bytes('refused-no-entries.json', b'{"format":"gloss-bundle","version":1,"title":"T"}')
    write_bytes('refused-entries-object.json',
                b'{"format":"gloss-bundle","version":1,"title":"T","entries":{"a":{}}}')
    write_bytes('refused-top-level-array.json',
                b'[{"format":"gloss-bundle","version":1,"title":"T","entries":[]}]')
    write_bytes('refused-top-level-string.json', b'"<b>MKUP</b>"')
    write_bytes('refused-comments.json',
                b'{"format":"gloss-bundle", // <b>MKUP</b>\n"version":1,/* c */"entries":[]}')
    write_bytes('refused-single-quotes.json',
                b"{'format':'gloss-bundle','version':1,'entries':[]}")
    write_bytes('refused-hex-number.json',
                b'{"format":"gloss-bundle","version":0x1,"entries":[]}')
    write_bytes('refused-nan.json',
                b'{"format":"gloss-bundle","version":1,"x":NaN,"entries":[]}')
    write_bytes('refused-var-assignment.json',
                b'var x = {"format":"gloss-bundle","version":1,"entries":[]};')
    write_bytes('refused-second-value.json',
                b'{"format":"gloss-bundle","version":1,"entries":[]}\n'
                b'{"format":"gloss-bundle","version":1,"entries":[]}')
    write_bytes('refused-raw-control-char.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A\x1b[2J\x01"}]}')
    write_bytes('refused-raw-newline-in-string.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"A\nB"}]}')
    write_bytes('refused-unterminated-string.json', VALID_HEAD + b'"entries":[{"id":"a","term":"A')
    write_bytes('refused-trailing-comma.json',
                b'{"format":"gloss-bundle","version":1,"entries":[],}')
    write_bytes('refused-bad-escape.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"\\x41 \\q"}]}')


# --------------------------------------------------------------- accepted


def accepted():
    # Markup and HTML in every field, the bundle's own fields included.
    write_json('markup-in-every-field.json', bundle(
        'Title ' + MKUP,
        [every_field(MKUP, 'e1', category='c1'),
         every_field(HTML, 'e2', category='c2'),
         entry('e3', '<b>MKUP</b>', summary='&amp;&lt;&gt;&quot;&apos;&#x3c;'),
         entry('e4', '</markup>MKUP', title='<markup><b>MKUP</b></markup>'),
         entry('e5', '&amp;', title='&lt;b&gt;', summary='&'),
         entry('e6', '<', title='>', summary='<span'),
         entry('e7', '<b>MKUP</b> mature', mature=True, summary=MKUP),
         {'id': '<b>x</b>', 'term': '<b>MKUP</b> skipped: a bad id'}],
        id='org.example.markup',
        description='Description ' + MKUP,
        language='<b>MKUP</b>',
        license='<b>MKUP</b> ' + HTML,
        authors=['<b>MKUP</b>', MKUP, HTML],
        updated='<b>MKUP</b>',
        categories=[{'id': 'c1', 'name': 'Name ' + MKUP, 'description': 'Description ' + MKUP},
                    {'id': 'c2', 'name': HTML}]))

    write_json('html-in-every-field.json', bundle(
        HTML, [every_field(HTML, 'e1', category='c'), entry('e2', 'Second')],
        description=HTML, authors=[HTML], license=HTML,
        categories=[{'id': 'c', 'name': HTML, 'description': HTML}]))

    # Entries skipped for each reason the format gives; the rest opens.
    write_json('skipped-entries.json', bundle('Skipped entries', [
        'a string', 42, None, True, [], [1, 2],
        {'term': 'No id'},
        {'id': '', 'term': 'Empty id'},
        {'id': 'Upper', 'term': 'Upper-case id'},
        {'id': '-dash', 'term': 'Leading dash'},
        {'id': 'a' * 129, 'term': 'Id too long'},
        {'id': 'sp ace', 'term': 'Space in id'},
        {'id': 'ok\u202e', 'term': 'Bidi in id'},
        {'id': 7, 'term': 'Numeric id'},
        {'id': 'no-term'},
        {'id': 'empty-term', 'term': ''},
        {'id': 'blank-term', 'term': ' \t\n '},
        {'id': 'bidi-only', 'term': RLO + PDF + LRI + PDI},
        {'id': 'null-term', 'term': None},
        {'id': 'array-term', 'term': ['x']},
        entry('kept', 'Kept', summary='The one entry that opens.'),
        {'id': 'kept', 'term': 'Duplicate of kept'},
        entry('kept-too', 'Kept too', related=['kept', 'no-term', 'kept-too'])]))

    # Link schemes: only https/http with a host and no user-info, mailto and
    # entry: may be followed.
    links = [
        'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:x',
        'file:///etc/passwd', 'file:/etc/passwd', 'FILE:///etc/shadow',
        'data:text/html,<script>alert(1)</script>', 'data:text/html;base64,PGI+eDwvYj4=',
        'vbscript:msgbox(1)', 'about:blank', 'chrome://settings', 'ftp://example.org/',
        'smb://host/share', 'ssh://host', 'x-gloss:open', 'ghelp:gloss', 'help:gloss',
        'apt:rm', 'steam://run/1', 'tel:+123', 'sms:123', 'resource:///x', 'trash:///',
        'relative/path', '../../etc/passwd', '/etc/passwd', '~/.ssh/id_rsa', '#fragment',
        '?query', '//evil.example/', '\\\\evil\\share', 'https:evil.example', 'https:/evil',
        'https://', 'https://:80/', 'https://user@evil.example/', 'https://user:pw@evil.example/',
        'https://good.example@evil.example/', 'http://%65vil@host/', 'https://[::1]/',
        'https://evil.example/<b>MKUP</b>', 'https://evil.example/"onmouseover="x',
        "https://evil.example/'><b>x</b>", 'https://evil.example/\u202eexe.txt',
        'https://evil.example/%00%0a', 'https://evil.example/\x01',
        'mailto:someone@example.org?attach=/etc/passwd',
        'mailto:someone@example.org?attachment=~/.ssh/id_rsa&subject=<b>MKUP</b>',
        'mailto:?to=x@example.org&attach=/etc/passwd', 'mailto:', 'mailto://host/x',
        'mailto:a@b.example?body=%0A%0Dattach=/etc/passwd',
        'entry:missing', 'entry:hidden-mature', 'ENTRY:target', 'Entry:Target', 'entry:',
        'entry:TARGET', 'entry:tar get', 'entry:target/../x', 'entry:%74arget', 'entry://target',
        'entry:target?x=1', 'entry:target#x', 'entry:' + 'a' * 200,
        'https://example.org/ok', 'http://example.org/ok', 'mailto:someone@example.org',
        'entry:target']
    body = '\n\n'.join('[%s <b>MKUP</b>](%s) and <%s> and %s' % (
        'link %d' % i, destination(t), t, t) for i, t in enumerate(links))
    body += '\n\n[ref link][r1] [ref2][r2] ![image alt <b>MKUP</b>](javascript:alert(1))\n\n'
    body += '[r1]: javascript:alert(1) "title <b>MKUP</b>"\n[r2]: https://user@evil.example/\n'
    write_json('link-schemes.json', bundle('Link schemes', [
        entry('links', 'Links', sections=[{'heading': 'Every scheme', 'body': body}],
              faq=[{'question': 'Links in an answer?', 'answer': body}],
              related=['target', 'hidden-mature', 'missing']),
        entry('target', 'Target', summary='Where entry links go.'),
        entry('hidden-mature', 'Hidden mature', mature=True, summary='Never linked.')]))

    long_url = 'https://example.org/' + 'a' * 20000
    write_json('long-urls.json', bundle('Long URLs', [
        entry('urls', 'Long URLs', sections=[{'body': '[long](%s)\n\n<%s>\n\n%s\n\n[long entry](entry:%s)'
                                              % (long_url, long_url, long_url, 'a' * 5000)}]),
        entry('url-terms', 'https://user@evil.example/' + 'x' * 400,
              summary='https://' + 'x' * 3900, tags=['https://evil.example/' + 'y' * 400])]))

    # Markdown nesting bombs.
    n = 5000
    write_json('markdown-nesting-bombs.json', bundle('Markdown bombs', [
        entry('quotes', 'Quotes', sections=[{'body': '>' * n + ' deep <b>MKUP</b>'}]),
        entry('brackets', 'Brackets', sections=[{'body': '[' * n + 'x' + ']' * n + '(' * n}]),
        entry('emphasis', 'Emphasis', sections=[{'body': '*' * n + 'x' + '*' * n + '\n\n' +
                                                  '_' * n + '\n\n' + '*a **b ' * 2000}]),
        entry('lists', 'Lists', sections=[{'body': ''.join('  ' * i + '- item %d\n' % i
                                                           for i in range(150))}]),
        entry('ordered', 'Ordered lists', sections=[{'body': ''.join(
            '   ' * i + '%d. item\n' % (999999999 - i) for i in range(150))}]),
        entry('mixed', 'Mixed nesting', sections=[{'body': '> - > 1. > * ' * 1000 + 'x'}]),
        entry('links', 'Link bombs', sections=[{'body': '[a](' * 3000 + '\n\n' +
                                               '[x](entry:links)' * 2000}]),
        entry('backticks', 'Backticks', sections=[{'body': '`' * n + 'x' + '`' * (n - 1) +
                                                   '\n\n' + '``` ' * 2000}]),
        entry('entities', 'Entities', sections=[{'body': '&amp;' * 4000 + '&#' * 2000 +
                                                 '&#x110000; &#0; &#xD800; &lt;b&gt;MKUP'}]),
        entry('headings', 'Headings', sections=[{'body': '#' * 4000 + ' x\n' + '# h\n' * 2000}]),
        entry('html-blocks', 'HTML blocks', sections=[{'body': '<div>\n' * 2000 + '<b>MKUP</b>'}]),
        entry('answer-bomb', 'Answer bomb', faq=[{'question': 'Bomb?', 'answer': '>' * n + '[' * n}])]))

    # Huge words.
    write_json('huge-words.json', bundle('Huge words', [
        entry('body-word', 'Body word', sections=[{'body': 'x' * 199000}]),
        entry('summary-word', 'Summary word', summary='y' * 4000, notice='n' * 4000),
        entry('term-word', 'z' * 512, title='t' * 512),
        entry('cjk-word', '語' * 512, summary='語' * 4000,
              sections=[{'heading': '見' * 512, 'body': '漢' * 20000}]),
        entry('over-caps', 'w' * 700, title='q' * 700, summary='s' * 5000,
              aliases=['a' * 600], tags=['g' * 600],
              stats=[{'label': 'l' * 600, 'value': 'v' * 5000, 'note': 'o' * 5000}])]))

    # Combining marks: 50,000 on one base, everywhere.
    marks = '\u0301' * 50000
    write_json('combining-marks.json', bundle('Combining ' + 'e' + '\u0301' * 200, [
        entry('marks-term', 'a' + marks, summary='b' + marks[:5000]),
        entry('marks-body', 'Marks in a body', sections=[{'heading': 'h' + '\u0300' * 1000,
                                                          'body': 'c' + marks[:10000]}]),
        entry('zalgo', 'Z̷̡̢̛̗̘̙̜̝̞̟̠̣̤̥̦̩̪̫̬̭̮̯̰̱̲̳̹̺̻̼͇͈͉͍͎̀́̂̃̄̅̆̇̈̉̊̋̌̍̎̏̐̑̒̓̔̽̾̿̀́͂̓̈́͆͊͋͌̕̚ͅ͏͓͔͕͖͙͚͐͑͒͗͛ͣͤͥͦͧͨͩͪͫͬͭͮͯ͘͜͟͢͝͞͠͡algo' * 20,
              summary='\u0301' * 100 + 'mark first', tags=['\u20dd' * 100],
              stats=[{'label': '\u0489' * 1000, 'value': 'v\u0489' * 500}]),
        entry('marks-only', '\u0301\u0302\u0303', summary='Marks with no base')]))

    # Bidi tricks: removed from terms, aliases and titles; isolated elsewhere.
    write_json('bidi-tricks.json', bundle('Bidi ' + BIDI, [
        every_field(BIDI, 'e1', category='c'),
        entry('e2', RLO + 'txt.exe', title=RLO + 'gnp.exe', aliases=[RLO + 'x' + LRI],
              summary='Unclosed ' + RLO, tags=[RLO + 'tag', LRI], sources=[RLE + 'source'],
              category='c', related=['e1']),
        entry('e3', 'Excess closers', summary=PDF * 10 + PDI * 10 + 'x' + PDI,
              sections=[{'body': PDI * 100 + '\n\n' + RLO * 100 + '\n\n' + LRI * 200}]),
        entry('e4', '\u0645\u0631\u062d\u0628\u0627 ' + RLO + 'mixed',
              summary='\u05e9\u05dc\u05d5\u05dd abc \u0661\u0662\u0663 ' + LRO),
        # Text that would escape an isolate around it: an isolate left open
        # takes the closing PDI for its own, a PDI of its own closes it early.
        entry('e5', 'Open isolate in the category', category='open-isolate',
              sources=['Source ' + RLI + 'open', PDI + RLO + 'source'], published='2026-01-01'),
        entry('e6', 'Early PDI in the category', category='early-pdi', updated='2026-01-02')],
        description=BIDI, authors=[BIDI], license=BIDI,
        categories=[{'id': 'c', 'name': 'Category ' + RLO + 'evil', 'description': BIDI},
                    {'id': 'open-isolate', 'name': 'Category ' + LRI + 'open'},
                    {'id': 'early-pdi', 'name': 'Category ' + PDI + RLO + 'evil'}]))

    # Control characters, escaped as JSON allows.
    write_json('control-characters.json', bundle('Controls ' + CONTROLS + ANSI, [
        every_field(CONTROLS + ANSI, 'e1', category='c'),
        entry('e2', ANSI + 'Term', summary=CONTROLS, sections=[{'body': CONTROLS * 3}]),
        entry('e3', '\x7f\x80\x85\x9f', summary='C1 controls only in the term')],
        description=CONTROLS, authors=[ANSI], license=CONTROLS,
        categories=[{'id': 'c', 'name': 'Category' + ANSI}]))

    write_json('zero-width.json', bundle('Zero' + ZERO_WIDTH + 'width', [
        every_field(ZERO_WIDTH, 'e1'),
        entry('e2', ZERO_WIDTH, summary='A term of zero-width characters only'),
        entry('e3', 'soft\u00adhyphen' * 50, summary='\u200b' * 4000),
        entry('e4', 'joiner' + '\u200d' * 3000, sections=[{'body': '\u2060' * 10000}])]))

    write_json('emoji-zwj.json', bundle('Emoji ' + EMOJI[:40], [
        every_field(EMOJI, 'e1'),
        entry('e2', '👨' + '\u200d👨' * 300, summary='\u200d'.join(['👩'] * 1000)),
        entry('e3', '🇺' * 501 + '🏿' * 11, summary='Broken flags and lone modifiers'),
        entry('e4', '\U0001F3F4' + '\U000E0061' * 500, summary='Tag characters')]))

    write_json('long-summaries.json', bundle('Long summaries', [
        entry('s%d' % i, 'Summary %d' % i, summary=s) for i, s in enumerate([
            ('word ' * 800)[:4000], 'é' * 4000, ('long sentence ' * 400)[:5000],
            '\n'.join(['line'] * 1000), '🙂' * 4000, '\t' * 4000 + 'x', ' ' * 3999 + 'x',
            '\u00a0' * 3999 + 'x', '\u3000' * 3999 + 'x', '\u2007\u202f' * 1999 + 'x',
            '-' * 4000, '.' * 4000, '/' * 4000])]))

    write_json('long-terms.json', bundle('Long terms', [
        entry('t1', ('term ' * 103)[:512]),
        entry('t2', 'é' * 512, aliases=['é' * 512]),
        entry('t3', ('a b' * 300), title=('word ' * 200)),
        entry('t4', 'x' * 511 + '👨\u200d👩', summary='A cut inside a cluster'),
        entry('t5', '\n'.join(['line'] * 200), summary='Newlines in a term')]))

    write_json('many-tags.json', bundle('Many tags', [
        entry('tags', 'Three thousand tags', tags=['tag %d <b>MKUP</b>' % i for i in range(3000)]),
        entry('dup-tags', 'Duplicate tags', tags=['same'] * 3000 + ['', ' ', None, 5])]))

    write_json('many-stats.json', bundle('Many stats', [
        entry('stats', 'Three thousand stats', stats=[
            {'label': 'Label %d' % i, 'value': '<b>MKUP</b> %d' % i, 'note': 'n'} for i in range(3000)]),
        entry('bad-stats', 'Malformed stats', stats=[
            {}, {'label': 'No value'}, {'value': 'No label'}, 'string', 5, None,
            {'label': 1, 'value': 2}, {'label': '', 'value': ''}, {'label': 'L', 'value': 'V',
                                                                   'note': ['x']}])]))

    write_json('many-faq.json', bundle('Many questions', [
        entry('faq', 'Three thousand questions', faq=[
            {'question': 'Question %d <b>MKUP</b>?' % i, 'answer': '*Answer* %d [x](entry:faq)' % i}
            for i in range(3000)]),
        entry('bad-faq', 'Malformed questions', faq=[
            {}, {'question': 'No answer'}, {'answer': 'No question'}, 'string', None,
            {'question': '', 'answer': ''}, {'question': ['x'], 'answer': {'y': 1}}]),
        # Questions at the 4,000-character cap, and an answer at 200,000.
        entry('long-questions', 'Long questions', faq=[
            {'question': ('Question %d <b>MKUP</b> ' % i + 'why ' * 1000)[:4000] + '?',
             'answer': '*Answer* %d' % i} for i in range(12)] + [
            {'question': 'A long answer?',
             'answer': ('*Answer*, [long](entry:faq) ' + 'because ' * 25 + '\n\n') * 880}])]))

    # Markup as dense as it gets: Pango pays for every element and every
    # combining mark, whatever the length of the text.
    write_json('dense-markup.json', bundle('Dense markup', [
        entry('spans', 'Emphasis on every letter', sections=[{'body': '*a* ' * 25000}]),
        entry('web-links', 'A link on every letter',
              sections=[{'body': '*[x](https://example.org/)* ' * 3500}]),
        entry('entity-marks', 'Combining marks made of entities',
              summary='Entities escape the loader\'s limit of 30 marks a character',
              sections=[{'body': 'a' + '&#769;' * 20000 + ' b&#x301;&#x302; end'}]),
        entry('list-lines', 'A list item a line', sections=[{'body': '- item\n' * 14000}])]))

    write_json('many-sections.json', bundle('Many sections', [
        entry('sections', 'Two thousand sections', sections=[
            {'heading': 'Section %d <b>MKUP</b>' % i, 'body': 'Body %d' % i} for i in range(2000)]),
        entry('bad-sections', 'Malformed sections', sections=[
            {}, {'heading': 'No body'}, 'string', None, {'body': 5}, {'heading': 5, 'body': 'x'},
            {'body': ''}])]))

    write_json('many-related.json', bundle('Many related', [
        entry('hub', 'Hub', related=['spoke%d' % i for i in range(2000)] + ['hub', 'missing'] * 500),
        *[entry('spoke%d' % i, 'Spoke %d' % i, summary='<b>MKUP</b>', related=['hub'])
          for i in range(8)]]))

    write_json('invalid-dates.json', bundle('Invalid dates', [
        entry('d%d' % i, 'Date %d' % i, published=d, updated=d)
        for i, d in enumerate(['2026-02-30', '2026-13-01', '0000-01-01', '9999-99-99', 'yesterday',
                               20260101, '2026-1-1', '+002026-01-01', '2026-01-01T00:00:00Z',
                               '', None, ['2026-01-01'], '２０２６-０１-０１', '2026-01-01\u202e',
                               '1969-12-31', '9999-12-31', '2024-02-29', '2023-02-29'])],
        updated='2026-02-31'))

    write_json('mature-odd-types.json', bundle('Mature flags', [
        entry('m%d' % i, 'Mature %d' % i, mature=v, summary='Hidden unless mature is on')
        for i, v in enumerate(['false', 0, None, [], {}, 'yes', 1, 'true', '', [False], 0.0])] + [
        entry('visible-false', 'Visible (false)', mature=False),
        entry('visible-absent', 'Visible (absent)',
              sections=[{'body': '[hidden](entry:m0) [null](entry:m2) [shown](entry:visible-false)'}],
              related=['m0', 'm1', 'visible-false'])]))

    write_json('wrong-types.json', bundle(5, [
        entry('w1', 'Wrong types', title=5, aliases='x', summary=['s'], category=7, tags={},
              notice=True, published=1, updated={}, reading_minutes='6', sources='s',
              stats='x', sections={'body': 'x'}, faq='x', related='w2'),
        entry('w2', 'Numbers', reading_minutes=-1),
        entry('w3', 'Fraction', reading_minutes=1.5),
        entry('w4', 'Exponent', reading_minutes=1e3),
        entry('w5', 'Huge', reading_minutes=10 ** 30),
        entry('w6', 'Zero', reading_minutes=0),
        entry('w7', 'Nested arrays', aliases=[['x']], tags=[[]], sources=[{}], related=[['w1']])],
        description=5, authors='x', license=[], language={}, updated=20260101, categories='c'))

    write_json('hostile-field-names.json', bundle('Field names', [
        {'id': 'f1', 'term': 'Field names', '\u001b[2J\u202eevil': 1, '<b>MKUP</b>': 2,
         '': 3, '/~0~1': 4, 'x' * 5000: 5, '\u0085\u2028\u2029': 6},
        {'id': 'f2', 'term': 'Nested', 'stats': [{'label': 'L', 'value': 'V', '<i>x': 1}]}],
        **{'\u202e<b>top</b>': 1}))

    write_json('categories-hostile.json', bundle('Categories', [
        entry('c1', 'Known category', category='c'),
        entry('c2', 'Unknown category', category='nope <b>MKUP</b>'),
        entry('c3', 'Category of another type', category=['c'])],
        categories=[{'id': 'c', 'name': '<b>MKUP</b> ' + RLO + 'Category', 'description': MKUP},
                    {'id': 'c', 'name': 'Duplicate id'},
                    {'id': '<b>MKUP</b>', 'name': 'Bad id'},
                    {'name': 'No id'}, {'id': 'noname'}, 'string', None,
                    {'id': 'long', 'name': 'n' * 700},
                    *[{'id': 'k%d' % i, 'name': 'Category %d' % i} for i in range(200)]]))

    # Runs that no line break opportunity splits, in every kind of label.
    tabs = '\t' * 3000 + 'x'
    write_json('unbreakable-runs.json', bundle('Unbreakable runs', [
        entry('tabs-summary', 'Tabs in a summary', summary=tabs),
        entry('tabs-notice', 'Tabs in a notice', notice=tabs),
        entry('tabs-stat', 'Tabs in a stat', stats=[{'label': '\t' * 500 + 'l', 'value': tabs,
                                                     'note': tabs}]),
        entry('tabs-heading', 'Tabs in a heading', sections=[{'heading': '\t' * 500 + 'h',
                                                              'body': 'x'}]),
        entry('tabs-body', 'Tabs in a body', sections=[{'body': 'x' + tabs}],
              faq=[{'question': tabs, 'answer': 'x' + tabs}]),
        entry('space-code', 'Code spans of a space', sections=[{'body': '` ` ' * 1500}]),
        entry('space-entities', 'Space entities', sections=[{'body': 'x' + '&#32;' * 3000 + 'y'}]),
        entry('nbsp-body', 'No-break spaces in a body', sections=[{'body': 'x' + '\u00a0' * 3000}]),
        entry('wide-glyphs', '\ufdfd' * 512, summary='\ufdfd' * 4000, tags=['\ufdfd' * 512],
              category='wide')],
        categories=[{'id': 'wide', 'name': '\ufdfd' * 512}]))

    write_json('empty-bundle.json', bundle('Empty <b>MKUP</b>', []))
    write_json('no-title.json', {'format': 'gloss-bundle', 'version': 1,
                                 'entries': [entry('a', 'No title')]})
    write_json('blank-title.json', bundle(' \n\t' + RLO, [entry('a', 'Blank title')]))
    write_json('valid-with-bom.json', bundle('With a byte order mark', [entry('a', 'BOM')]),
               bom=True)
    write_bytes('nesting-64.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"Sixty-four levels","x":' +
                b'[' * 61 + b']' * 61 + b'}]}')
    write_bytes('numbers.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"Numbers","reading_minutes":'
                b'18446744073709551617,"x":1e99999,"y":-0,"z":123456789012345678901234567890},'
                b'{"id":"b","term":"Negative zero","reading_minutes":-0}]}')
    write_bytes('escapes.json',
                VALID_HEAD + b'"entries":[{"id":"a","term":"\\u003cb\\u003eMKUP\\u003c/b\\u003e",'
                b'"summary":"\\ud83d\\ude00 \\u00e9 \\/ \\\\ \\" \\b\\f\\n\\r\\t",'
                b'"sections":[{"body":"\\u202e\\u0085\\u2028\\u2029\\ufeff\\uffff\\ufffe"}]}]}')
    write_json('whitespace.json', bundle('  Whitespace  ', [
        entry('a', '   padded   ', summary='\n\n\n', notice='   ', aliases=['  ', ''],
              tags=['\t'], sections=[{'heading': '  ', 'body': '   '}]),
        entry('b', '\u3000\u00a0\u2003ideographic', summary='\u2028line\u2029para')]))
    write_json('noncharacters.json', bundle('Noncharacters', [
        entry('a', 'Private use \ue000\U000f0000', summary='\ufffe\uffff\U0001fffe\U0010ffff',
              sections=[{'body': '\ufffd' * 100 + '\U000e0001'}]),
        entry('b', '\ufffd', summary='Only the replacement character')]))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith('.json'):
            os.remove(os.path.join(OUT, name))
    refused()
    accepted()


if __name__ == '__main__':
    main()
