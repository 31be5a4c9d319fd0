/* Microblog's shared browser code: local dates and user popups.
   Other modules (translate.js, notifications.js) use window.Microblog. */
(function () {
  "use strict";

  const lang = document.documentElement.lang || "en";
  const SECOND = 1000;
  const UNITS = [
    ["year", 365 * 24 * 3600],
    ["month", 30 * 24 * 3600],
    ["week", 7 * 24 * 3600],
    ["day", 24 * 3600],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function relativeTime(date, now) {
    const format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    const seconds = (date.getTime() - now) / SECOND;
    for (const [unit, size] of UNITS) {
      if (Math.abs(seconds) >= size || unit === "second") {
        const value = Math.round(seconds / size);
        return format.format(unit === "second" && Math.abs(value) < 45 ? 0 : value, unit);
      }
    }
    return "";
  }

  /* Turn every <time data-format> below `root` into local text: "relative" or "full". */
  function renderTimes(root) {
    const full = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short" });
    const now = Date.now();
    (root || document).querySelectorAll("time[data-format]").forEach((element) => {
      const date = new Date(element.getAttribute("datetime"));
      if (Number.isNaN(date.getTime())) return;
      element.title = full.format(date);
      element.textContent =
        element.dataset.format === "full" ? full.format(date) : relativeTime(date, now);
    });
  }

  /* User popups: hover (or focus) a username for about a second. One fetch per user a page. */
  const POPUP_DELAY = 1000;
  const popupHtml = new Map();

  function fetchPopup(url) {
    if (!popupHtml.has(url)) {
      const request = fetch(url, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) throw new Error(response.statusText);
        return response.text();
      });
      request.catch(() => popupHtml.delete(url));
      popupHtml.set(url, request);
    }
    return popupHtml.get(url);
  }

  function setUpPopup(link) {
    let openTimer = null;
    let closeTimer = null;
    let popover = null;
    let dismissed = false; // Escape inside the popup gives the focus back without reopening it

    const tip = () => (popover ? popover.tip : null);

    const close = () => {
      clearTimeout(openTimer);
      if (popover) popover.hide();
    };
    const closeSoon = () => {
      clearTimeout(openTimer);
      clearTimeout(closeTimer);
      closeTimer = setTimeout(() => {
        const element = tip();
        if (element && (element.matches(":hover") || element.contains(document.activeElement))) return;
        if (link.matches(":hover")) return;
        close();
      }, 300);
    };
    const open = () => {
      clearTimeout(closeTimer);
      clearTimeout(openTimer);
      openTimer = setTimeout(async () => {
        let html;
        try {
          html = await fetchPopup(link.dataset.popupUrl);
        } catch (error) {
          return;
        }
        if (!popover) {
          popover = new bootstrap.Popover(link, {
            trigger: "manual",
            html: true,
            sanitize: false, // our own server-rendered, escaped fragment, with its forms
            content: html,
            placement: "auto",
            // right after the link in the page, so Tab goes from the link into the popup
            container: link.parentElement,
          });
          link.addEventListener("inserted.bs.popover", () => {
            const element = tip();
            renderTimes(element);
            replaceBrokenAvatars(element);
            // the fragment was rendered for its own URL: come back to this page after a click
            element.querySelectorAll('input[name="next"]').forEach((input) => {
              input.value = window.location.pathname + window.location.search;
            });
            element.addEventListener("mouseenter", () => clearTimeout(closeTimer));
            element.addEventListener("mouseleave", closeSoon);
            element.addEventListener("focusout", closeSoon);
            element.setAttribute("role", "dialog");
            element.setAttribute("aria-label", link.textContent.trim());
            element.addEventListener("keydown", (event) => {
              if (event.key !== "Escape") return;
              dismissed = true;
              link.focus();
              close();
            });
          });
        }
        popover.show();
      }, POPUP_DELAY);
    };

    link.addEventListener("mouseenter", open);
    link.addEventListener("focus", () => {
      if (!dismissed) open();
      dismissed = false;
    });
    link.addEventListener("mouseleave", closeSoon);
    link.addEventListener("blur", closeSoon);
    link.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
  }

  function setUpPopups(root) {
    (root || document).querySelectorAll("a.user_popup[data-popup-url]").forEach((link) => {
      if (link.dataset.popupReady) return;
      link.dataset.popupReady = "1";
      setUpPopup(link);
    });
  }

  /* Avatars come from Gravatar; where it cannot be reached, show a local placeholder. */
  function useLocalAvatar(image) {
    const fallback = document.body.dataset.avatarFallback;
    if (fallback && !image.src.endsWith(fallback)) image.src = fallback;
  }
  document.addEventListener(
    "error",
    (event) => {
      if (event.target instanceof HTMLImageElement && event.target.classList.contains("avatar")) {
        useLocalAvatar(event.target);
      }
    },
    true,
  );
  function replaceBrokenAvatars(root) {
    (root || document).querySelectorAll("img.avatar").forEach((image) => {
      if (image.complete && image.naturalWidth === 0) useLocalAvatar(image);
    });
  }

  window.Microblog = { csrfToken, renderTimes, relativeTime, setUpPopups };

  document.addEventListener("DOMContentLoaded", () => {
    replaceBrokenAvatars(document);
    renderTimes(document);
    setUpPopups(document);
    setInterval(() => renderTimes(document), 60 * SECOND);
  });
})();
