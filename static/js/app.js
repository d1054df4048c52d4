// Crunch Time: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The main menu: on a phone it folds behind the "Menu" button; its groups are <details>
  // (they open and close without this file). Here: one group open at a time, Escape closes
  // the open group (or the phone menu) and gives the focus back to what opened it.
  function setUpMenu() {
    const nav = document.querySelector("[data-nav]");
    if (!nav) return;
    const toggle = document.querySelector("[data-nav-toggle]");
    const groups = Array.from(nav.querySelectorAll("details[data-nav-group]"));

    function setOpen(open) {
      if (!toggle) return;
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    }
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    }
    for (const group of groups) {
      group.addEventListener("toggle", () => {
        if (!group.open) return;
        for (const other of groups) if (other !== group) other.open = false;
      });
    }
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      const open = groups.find((group) => group.open);
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (toggle && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
    // A click elsewhere closes an open dropdown (on a wide screen it covers the page).
    document.addEventListener("click", (event) => {
      for (const group of groups) if (group.open && !group.contains(event.target)) group.open = false;
    });
  }

  // Where the user must look: a refusal (an error flash), else a form's error summary,
  // else the first field that has an error. It gets the focus, so it is in view and read out.
  function theProblem() {
    return document.querySelector("[data-flash-error]")
      || document.querySelector("[data-error-summary]")
      || document.querySelector("[aria-invalid='true']");
  }
  function focusTheProblem() {
    const target = theProblem();
    if (!target || document.activeElement === target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpMenu();
    focusTheProblem();
  });
  // A redirect to an anchor (#edition-3) scrolls there after the page is parsed and takes
  // the focus away: once loaded, bring the problem back into view.
  window.addEventListener("load", () => setTimeout(focusTheProblem, 0));
})();
