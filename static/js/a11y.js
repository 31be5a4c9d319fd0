/* Accessibility: a form that comes back with errors puts the focus on its first field in error.
   crispy-bootstrap5 ties each field's errors to it with aria-describedby; errors about the whole
   form (templates/bootstrap5/errors.html) are tied here to the form's first field. */
(function () {
  "use strict";

  const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function describe(field, id) {
    const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.includes(id)) field.setAttribute("aria-describedby", [id, ...ids].join(" "));
  }

  function focusFirstError() {
    for (const form of document.querySelectorAll("main form")) {
      const invalid = form.querySelector('[aria-invalid="true"]');
      const summary = form.querySelector(".alert-danger[id]");
      if (!invalid && !summary) continue;
      const field = invalid || form.querySelector(FIELDS);
      if (!field) continue;
      if (summary) describe(field, summary.id);
      field.focus();
      return;
    }
  }

  /* "Skip to content" moves the focus without adding #content to the address: a form sent
     from an address with a fragment comes back scrolled (and focused) there, not on its error. */
  function skipToContent(event) {
    const link = event.target.closest('a[href="#content"]');
    const content = document.getElementById("content");
    if (!link || !content) return;
    event.preventDefault();
    content.focus();
  }

  document.addEventListener("click", skipToContent);
  document.addEventListener("DOMContentLoaded", focusFirstError);
})();
