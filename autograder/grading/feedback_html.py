"""Make a student's feedback page safe to open: nothing in it can run script.

A feedback page is nbconvert's HTML of the student's notebook, so it holds whatever the student's code
displayed (``text/html`` outputs, Markdown with raw HTML, SVG). ``sanitize_feedback_html`` rebuilds the
whole document from an allow-list of tags and attributes; anything not on the list is left out.

Kept: the document skeleton (doctype, html, head, body, title, ``<meta charset>`` and
``<meta name=... content=...>``), ordinary text markup (headings, p, div, span, pre, code, lists, tables,
details/summary, em/strong/...), ``<style>`` blocks and ``style`` attributes (the notebook's CSS), images,
inline SVG drawing elements (matplotlib's SVG output), ``id``/``class``/``data-*``/``aria-*`` attributes,
and ``<link rel=stylesheet>`` to a local (relative) file. Text is re-escaped, so it always stays text.

Dropped with their content: script, iframe, object, applet, template, noscript, noembed, noframes,
frameset, SVG foreignObject. Dropped, content kept as text/markup: every other tag not on the list
(form, input, button, base, embed, meta http-equiv, SVG animate/set, math, custom elements, ...).
Attributes: every ``on*`` handler and every attribute not on the list. URLs: ``href`` must be relative,
``#...``, http(s) or mailto; ``img src`` relative, http(s), or ``data:image/png|jpeg|gif|webp;base64``
(never ``data:image/svg+xml``, which can hold script); SVG ``<use href>`` only ``#...``. CSS: a block or
``style`` attribute that mentions ``expression(``, ``-moz-binding``, ``behavior:``, ``javascript:`` or
``vbscript:`` is dropped, ``@import`` is disabled, and ``<`` is written as the CSS escape ``\\3c `` so a
style block can never close itself early. Comments, processing instructions and CDATA sections are
dropped. nbconvert's own page scripts (require.js, MathJax, mermaid) go too: LaTeX shows as its source.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

_DROP_WITH_CONTENT = {"script", "iframe", "object", "applet", "template", "noscript", "noembed", "noframes",
                      "frameset", "foreignobject"}

_HTML_TAGS = {
    "html", "head", "body", "title", "meta", "link", "style",
    "main", "article", "section", "nav", "aside", "header", "footer", "address", "hgroup",
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "hr", "pre", "blockquote", "ol", "ul", "li", "dl", "dt", "dd",
    "figure", "figcaption", "div", "a", "em", "strong", "small", "s", "cite", "q", "dfn", "abbr", "data",
    "time", "code", "var", "samp", "kbd", "sub", "sup", "i", "b", "u", "mark", "ruby", "rt", "rp", "bdi",
    "bdo", "span", "br", "wbr", "ins", "del", "img", "table", "caption", "colgroup", "col", "tbody", "thead",
    "tfoot", "tr", "td", "th", "details", "summary", "font", "center", "tt", "big", "strike",
}
_SVG_TAGS = {
    "svg", "g", "defs", "symbol", "use", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textpath", "clippath", "mask", "pattern", "lineargradient", "radialgradient", "stop",
    "marker", "desc", "image", "filter", "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite",
    "feflood", "fegaussianblur", "femerge", "femergenode", "feoffset", "fefunca", "fefuncb", "fefuncg", "fefuncr",
}
_TAGS = _HTML_TAGS | _SVG_TAGS

_GLOBAL_ATTRS = {"id", "class", "title", "lang", "dir", "style", "role", "hidden", "align", "valign", "width", "height"}
_TAG_ATTRS = {
    "a": {"href", "name"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan", "headers", "scope", "nowrap"},
    "th": {"colspan", "rowspan", "headers", "scope", "nowrap"},
    "table": {"border", "cellpadding", "cellspacing", "summary"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type", "reversed"}, "ul": {"type"}, "li": {"value", "type"},
    "meta": {"charset", "name", "content"},
    "style": {"type", "media"},
    "time": {"datetime"}, "data": {"value"}, "del": {"datetime"}, "ins": {"datetime"},
    "details": {"open"},
    "font": {"color", "face", "size"},
    "hr": {"size", "noshade"},
}
_SVG_ATTRS = {
    "viewbox", "preserveaspectratio", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d",
    "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "transform",
    "clip-path", "clip-rule", "clippathunits", "mask", "maskunits", "maskcontentunits", "patternunits",
    "patterncontentunits", "patterntransform", "gradientunits", "gradienttransform", "spreadmethod", "fx", "fy",
    "offset", "stop-color", "stop-opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "alignment-baseline", "baseline-shift", "letter-spacing",
    "word-spacing", "text-decoration", "dx", "dy", "rotate", "textlength", "lengthadjust", "marker-start",
    "marker-mid", "marker-end", "markerwidth", "markerheight", "markerunits", "refx", "refy", "orient",
    "xmlns", "xmlns:xlink", "version", "visibility", "display", "color", "overflow", "vector-effect",
    "shape-rendering", "text-rendering", "image-rendering", "filter", "filterunits", "primitiveunits",
    "flood-color", "flood-opacity", "lighting-color", "in", "in2", "result", "stddeviation", "mode", "operator",
    "k1", "k2", "k3", "k4", "type", "values", "tablevalues", "slope", "intercept", "amplitude", "exponent",
    "xml:space", "enable-background", "paint-order", "href", "xlink:href", "startoffset", "method", "spacing",
}
_DATA_ARIA = re.compile(r"(data|aria)-[a-z0-9_.-]+")

_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(.)", re.S)
_CSS_BAD = re.compile(r"expression\s*\(|-moz-binding|(?<![\w-])behavior\s*:|javascript:|vbscript:", re.I)
_CSS_IMPORT = re.compile(r"@import", re.I)
_CSS_WRAPPERS = re.compile(r"<!\[CDATA\[|\]\]>|<!--|-->")


def _url_ok(value: str, kind: str) -> bool:
    """Whether a URL attribute may stay. ``kind``: 'link' (a href), 'image' (img src), 'fragment' (#id only),
    'local' (a relative path: no scheme, not //host)."""
    url = _CONTROL.sub("", value).lower()  # browsers ignore tabs/newlines inside a URL and spaces around it
    if kind == "fragment":
        return url.startswith("#")
    m = _SCHEME.match(url)
    scheme = m.group(1) if m else ""
    if kind == "local":
        return not scheme and not url.replace("\\", "/").startswith("//")
    if kind == "image" and scheme == "data":
        return bool(_IMAGE_DATA.match(url))
    return scheme in ("", "http", "https") or (kind == "link" and scheme == "mailto")


def _css_decoded(css: str) -> str:
    def one(m):
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return m.group(2)

    return re.sub(r"/\*.*?\*/", "", _CSS_ESCAPE.sub(one, css), flags=re.S)


def _clean_css(css: str) -> str | None:
    """The CSS to write out, or None when it must be dropped."""
    if _CSS_BAD.search(_css_decoded(css)):
        return None
    css = _CSS_IMPORT.sub("@x-import-disabled", _CSS_WRAPPERS.sub("", css))
    return css.replace("<", "\\3c ")


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.drop: list[str] = []  # stack of elements whose content is being dropped
        self.css: list[str] | None = None  # text of the <style> block being read
        self.doctype = False

    # -- tags
    def _attrs(self, tag: str, attrs) -> list[tuple[str, str | None]] | None:
        svg = tag in _SVG_TAGS
        allowed = _GLOBAL_ATTRS | _TAG_ATTRS.get(tag, set()) | (_SVG_ATTRS if svg or tag == "a" else set())
        kept, seen = [], set()
        for name, value in attrs:
            if name in seen or not (name in allowed or _DATA_ARIA.fullmatch(name)) or name.startswith("on"):
                continue
            if name == "style" and value is not None:
                value = _clean_css(value)
                if value is None:
                    continue
            if name in ("href", "xlink:href", "src"):
                kind = {"a": "link", "img": "image", "image": "image", "use": "fragment"}.get(tag)
                if kind is None or value is None or not _url_ok(value, kind):
                    continue
            seen.add(name)
            kept.append((name, value))
        if tag == "meta" and any(n == "http-equiv" for n, _ in attrs):
            return None
        if tag == "meta" and "content" in seen and "name" not in seen:
            kept = [(n, v) for n, v in kept if n != "content"]
        return kept

    def _start(self, tag: str, attrs, closed: bool) -> None:
        if self.drop:
            if tag == self.drop[-1] and not closed:
                self.drop.append(tag)
            return
        if tag in _DROP_WITH_CONTENT:
            if not closed and tag not in _VOID:
                self.drop.append(tag)
            return
        if tag == "link":
            rel = dict(attrs).get("rel") or ""
            href = dict(attrs).get("href")
            if rel.lower().split() != ["stylesheet"] or not href or not _url_ok(href, "local"):
                return
            kept = [("rel", "stylesheet"), ("href", href)] + [(n, v) for n, v in attrs if n in ("type", "media") and v]
        elif tag in _TAGS:
            kept = self._attrs(tag, attrs)
            if kept is None:
                return
        else:
            return
        text = "".join(f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in kept)
        self.out.append(f"<{tag}{text}{' /' if closed and tag not in _VOID else ''}>")
        if tag == "style" and not closed:
            self.css = []

    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if self.drop:
            if tag == self.drop[-1]:
                self.drop.pop()
            return
        if tag == "style" and self.css is not None:
            self._flush_css()
        if tag in _TAGS and tag not in _VOID:
            self.out.append(f"</{tag}>")

    def _flush_css(self) -> None:
        css = _clean_css("".join(self.css or []))
        self.css = None
        if css:
            self.out.append(css)

    # -- everything else
    def handle_data(self, data):
        if self.drop:
            return
        if self.css is not None:
            self.css.append(data)
        else:
            self.out.append(html.escape(data, quote=False))

    def handle_decl(self, decl):
        if decl.lower().startswith("doctype") and not self.doctype and not self.drop:
            self.doctype = True
            self.out.append("<!DOCTYPE html>")

    def handle_comment(self, data):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass

    def close(self):
        super().close()
        if self.css is not None and not self.drop:
            self._flush_css()
            self.out.append("</style>")


def sanitize_feedback_html(html_text: str) -> str:
    """``html_text`` (a whole page or a fragment) rebuilt from an allow-list, with nothing that can run script."""
    parser = _Sanitizer()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.out)
