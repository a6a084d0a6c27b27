// A region that scrolls sideways (a wide table, a row of tabs on a phone) must be
// reachable from the keyboard, or a reader without a mouse cannot see all of it
// (WCAG 2.1.1). Material re-renders pages without reloading them: run on each one.
function focusableScrollers() {
  document.querySelectorAll(".md-typeset__scrollwrap, .tabbed-labels").forEach(function (el) {
    if (!el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
      if (el.classList.contains("md-typeset__scrollwrap")) {
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "Table (scrolls sideways)");
      }
    }
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(focusableScrollers);
} else {
  document.addEventListener("DOMContentLoaded", focusableScrollers);
}
