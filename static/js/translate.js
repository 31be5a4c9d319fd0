/* The Translate link under a post: POST the body to /translate, show a spinner, then the
   translation (or a readable error) in place of the link, without reloading the page. */
(function () {
  "use strict";

  const _ = window.gettext || ((text) => text);

  function spinner() {
    const status = document.createElement("span");
    status.className = "text-body-secondary translate-progress";
    const wheel = document.createElement("span");
    wheel.className = "spinner-border spinner-border-sm me-1";
    wheel.setAttribute("aria-hidden", "true");
    status.append(wheel, _("Translating…"));
    return status;
  }

  async function requestTranslation(link, text) {
    const response = await fetch(link.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": window.Microblog.csrfToken(), Accept: "application/json" },
      body: new URLSearchParams({
        text: text,
        source_language: link.dataset.sourceLanguage,
        dest_language: link.dataset.destLanguage,
      }),
    });
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (response.ok && data && typeof data.text === "string") return data.text;
    throw new Error(
      data && typeof data.error === "string"
        ? data.error
        : _("Sorry, the translation failed. Please try again later.")
    );
  }

  async function translate(link) {
    const container = link.parentElement;
    const body = document.getElementById("post" + link.dataset.post);
    if (!container || !body) return;
    container.setAttribute("aria-busy", "true");
    // the link is about to go: a keyboard user's focus stays here instead of falling to the page
    const hadFocus = document.activeElement === link;
    container.replaceChildren(spinner());
    if (hadFocus) {
      container.tabIndex = -1;
      container.focus();
    }
    const result = document.createElement("span");
    try {
      result.textContent = await requestTranslation(link, body.textContent.trim());
      result.lang = link.dataset.destLanguage;
      result.className = "translation";
    } catch (error) {
      result.textContent =
        error instanceof TypeError
          ? _("Sorry, the server could not be reached. Please try again later.")
          : error.message;
      result.className = "text-danger translation-error";
    }
    container.replaceChildren(result);
    container.removeAttribute("aria-busy");
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.translate-link");
    if (!link) return;
    event.preventDefault();
    translate(link);
  });
})();
