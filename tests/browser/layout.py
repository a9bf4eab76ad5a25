"""What the layout test asks of a page in the browser: nothing wider than the window,
no table or chart cut off inside a box that scrolls, text contrast at WCAG AA (axe-core,
vendored), and the page's one primary action in reach."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.common.by import By

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

# Boxes whose content must fit: a scroll bar inside them hides columns or bars.
CLIPPED = """
const found = [];
for (const box of document.querySelectorAll(
    '#content, #content-main, .results, .module, .taggarr-chart-box, table, fieldset')) {
  const style = getComputedStyle(box);
  if (box.offsetParent === null) continue;
  if (box.scrollWidth > box.clientWidth + 2 && style.overflowX !== 'visible') {
    found.push(`${box.tagName.toLowerCase()}#${box.id}.${box.className}: ` +
               `${box.clientWidth} of ${box.scrollWidth} px shown`);
  }
}
return found;
"""

# What is drawn as the page's primary action (admin.css): Taggarr's own, the login
# button, or a form's Save on a page with no action of its own.
PRIMARY = (
    ".taggarr-primary, #login-form input[type=submit], "
    "body:not(:has(.taggarr-primary)) .submit-row input.default"
)
# Transitions off, so that a colour is read as it is, not halfway from the last scheme.
NO_TRANSITIONS = """
const style = document.createElement('style');
style.textContent = '*, *::before, *::after { transition: none !important; }';
document.head.append(style);
"""

REACHABLE = """
const element = arguments[0];
element.scrollIntoView({block: 'center', inline: 'nearest'});
const box = element.getBoundingClientRect();
if (box.width === 0 || box.left < 0 || box.right > window.innerWidth + 1) {
  return `outside the window (${Math.round(box.left)}..${Math.round(box.right)} px)`;
}
const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
if (!top || !(top === element || element.contains(top) || top.contains(element))) {
  return `covered by ${top ? top.outerHTML.slice(0, 80) : 'nothing'}`;
}
return '';
"""


# Words cut across two lines ("configurati/on"): a range over each word of the page's
# tables and headings; a word drawn in two boxes was broken. Words longer than 20
# letters (paths, addresses) may break where they must.
BROKEN_WORDS = """
const found = new Set();
const walker = document.createTreeWalker(document.getElementById('content') || document.body,
                                         NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (!node.parentElement || node.parentElement.offsetParent === null) continue;
  for (const match of node.textContent.matchAll(/[A-Za-z]{4,20}/g)) {
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
    if (lines.size > 1) found.add(match[0]);
  }
}
return Array.from(found);
"""


# Tap targets smaller than 24 by 24 px (issue 61: WCAG 2.2's target size without its
# spacing exception, on a phone): every link, button, field and checkbox drawn, but a
# link inside a sentence (the block around it has words of its own, WCAG's "inline"
# exception) and what is drawn off the page (the skip link until it has the focus).
SMALL_TARGETS = """
const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
const blockOf = (node) => {
  let element = node.parentElement;
  while (element && getComputedStyle(element).display.startsWith('inline')) {
    element = element.parentElement;
  }
  return element;
};
const inSentence = (target) => {
  const block = blockOf(target);
  if (!block) return false;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(TARGETS) || blockOf(node) !== block) continue;
    if (/[\\p{L}\\p{N}]/u.test(node.textContent)) return true;
  }
  return false;
};
const found = [];
for (const target of document.querySelectorAll(TARGETS)) {
  if (!target.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})) continue;
  const box = target.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || box.bottom + window.scrollY <= 0) continue;
  if (box.width >= 23.5 && box.height >= 23.5) continue;
  if (target.tagName === 'A' && inSentence(target)) continue;
  const text = target.textContent || target.name || target.type || '';
  const name = text.replace(/\\s+/g, ' ').trim();
  found.push(`${target.tagName.toLowerCase()}${target.id ? '#' + target.id : ''} ` +
             `"${name.slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)} px`);
}
return found;
"""


def small_targets(driver: webdriver.Chrome) -> list[str]:
    return driver.execute_script(SMALL_TARGETS)


def broken_words(driver: webdriver.Chrome) -> list[str]:
    return driver.execute_script(BROKEN_WORDS)


# The header on a phone (issue 61): one row, the logo, the search and the menu button.
HEADER_TALLEST = 64


def header_height(driver: webdriver.Chrome) -> int:
    return driver.execute_script(
        "return Math.round(document.getElementById('header').getBoundingClientRect().height);"
    )


def height(driver: webdriver.Chrome) -> int:
    return driver.execute_script("return document.documentElement.scrollHeight;")


def overflow(driver: webdriver.Chrome) -> str:
    # The layout viewport (the root's client width), not window.innerWidth: on a phone
    # (a mobile viewport) the browser zooms out to show what sticks out, and innerWidth
    # grows with the page (586 px in a 360 px phone), so it never told (issue 84).
    width, inner = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
    )
    return f"page is {width} px wide in a {inner} px window" if width > inner else ""


# Elements wider than their container or than the window (issue 84: a button 17 px out
# of its cell, a chip's words drawn into the next poster): each element of ``arguments[0]``
# whose box passes its nearest ``arguments[1]`` (its content box: inside its padding and
# border) or the layout viewport, or whose own content is wider than its box (a line
# that cannot wrap, shown past it). Half a pixel of rounding is allowed.
STICKING_OUT = """
const [selector, containerSelector] = arguments;
const viewport = document.documentElement.clientWidth;
const found = [];
const describe = (element) => {
  const text = (element.innerText || element.value || '').replace(/\\s+/g, ' ').trim();
  return `${element.tagName.toLowerCase()}.${element.className} "${text.slice(0, 60)}"`;
};
for (const element of document.querySelectorAll(selector)) {
  if (!element.checkVisibility()) continue;
  const box = element.getBoundingClientRect();
  const container = element.parentElement && element.parentElement.closest(containerSelector);
  let left = 0, right = viewport, where = `the ${viewport} px window`;
  if (container) {
    const outer = container.getBoundingClientRect();
    const style = getComputedStyle(container);
    left = Math.max(left, outer.left + parseFloat(style.borderLeftWidth)
                    + parseFloat(style.paddingLeft));
    right = Math.min(right, outer.right - parseFloat(style.borderRightWidth)
                     - parseFloat(style.paddingRight));
    where = `its ${container.tagName.toLowerCase()}.${container.className} ` +
            `(${Math.round(right - left)} px) or the window`;
  }
  const past = Math.max(left - box.left, box.right - right);
  if (past > 0.5) {
    found.push(`${describe(element)}: ${Math.round(past)} px out of ${where}`);
  } else if (element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0) {
    found.push(`${describe(element)}: its content is ${element.scrollWidth} px ` +
               `in ${element.clientWidth} px`);
  }
}
return found;
"""


def sticking_out(driver: webdriver.Chrome, selector: str, container: str) -> list[str]:
    """Each element of ``selector`` wider than its ``container`` (the nearest ancestor
    that matches) or the window, or whose content is wider than itself."""
    return driver.execute_script(STICKING_OUT, selector, container)


def clipped(driver: webdriver.Chrome) -> list[str]:
    return driver.execute_script(CLIPPED)


# What axe-core checks on every page: every rule, its serious and critical findings
# (issue 51: none, light and dark, phone and desktop); among them text contrast (WCAG
# AA), links told apart from the text around them by more than colour, and tap targets
# of at least 24 by 24 px or spaced as far (WCAG 2.2's target size, with its
# exceptions, as axe implements them), turned on whatever axe's defaults.
AXE_IMPACTS = ("serious", "critical")
AXE_ALSO = ("color-contrast", "link-in-text-block", "target-size")


def axe_violations(driver: webdriver.Chrome) -> list[str]:
    """What axe-core finds serious or critical on the page."""
    # Put into the page once: a second look at it (dark after light) runs the same axe,
    # not 650 KB of script sent and parsed again (a sixth of the layout test's time).
    if not driver.execute_script("return typeof window.axe !== 'undefined';"):
        driver.execute_script(AXE)
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const rules = Object.fromEntries(arguments[0].map((id) => [id, {enabled: true}]));"
        "axe.run(document, {resultTypes: ['violations'], rules})"
        ".then(done, (e) => done({error: String(e)}));",
        list(AXE_ALSO),
    )
    if "error" in result:
        return [result["error"]]
    return [
        f"{violation['id']} {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}"
        for violation in result["violations"]
        if violation["impact"] in AXE_IMPACTS
        for node in violation["nodes"]
    ]


def primary_problem(driver: webdriver.Chrome, selector: str) -> str:
    """'' when the page has one primary action, ``selector``, and it can be clicked."""
    shown = [e for e in driver.find_elements(By.CSS_SELECTOR, PRIMARY) if e.is_displayed()]
    if len(shown) != 1:
        return f"{len(shown)} primary actions shown"
    wanted = driver.find_elements(By.CSS_SELECTOR, selector)
    if not wanted or wanted[0] != shown[0]:
        return f"the primary action is not {selector}"
    return driver.execute_script(REACHABLE, shown[0])


def screenshot(driver: webdriver.Chrome, path: Path, *, always: bool = False) -> None:
    """The whole page, not only what the window shows: when asked for
    (TAGGARR_TEST_ARTIFACTS names the folder), or ``always`` (the picture of a problem
    found). A full-page capture costs a fifth of a second or more: make test takes none
    it does not need."""
    if not (always or os.environ.get("TAGGARR_TEST_ARTIFACTS")):
        return
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 6000), "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def set_dark(driver: webdriver.Chrome, dark: bool) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
    )


def set_size(driver: webdriver.Chrome, width: int, height: int) -> None:
    """The page's viewport (what a phone shows), not the window with its frame."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
