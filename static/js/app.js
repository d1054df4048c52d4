// Crunch Time: small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first field that has an error, so keyboard and screen-reader
  // users land where they must act.
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});
