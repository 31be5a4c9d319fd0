/* Live notifications: polls /notifications and keeps the unread-messages badge and the
   progress alerts of background tasks current, without reloading the page.
   Configured by data attributes on #messages-link (URL, start time, interval in seconds). */
(function () {
  "use strict";

  const FAILURES = {
    export_posts: gettext("Your posts could not be exported. Please try again later."),
  };
  const DEFAULT_FAILURE = gettext("A background task failed. Please try again later.");
  const REMOVE_FINISHED_AFTER = 1500; // ms: long enough to read "100%"

  function setMessageCount(count) {
    const badge = document.getElementById("message_count");
    if (!badge) return;
    const value = Number(count) || 0;
    badge.textContent = String(value);
    badge.hidden = value <= 0;
  }

  function showFailure(alert, data) {
    if (document.getElementById(`${data.task_id}-failed`)) {
      alert?.remove(); // this page already says so
      return;
    }
    const failure = document.createElement("div");
    failure.className = "alert alert-danger d-flex align-items-center gap-2";
    failure.setAttribute("role", "alert");
    failure.id = `${data.task_id}-failed`;
    const text = document.createElement("span");
    text.className = "me-auto";
    text.textContent = FAILURES[data.name] || DEFAULT_FAILURE;
    failure.append(text);
    const dismiss = dismissForm(data.task_id);
    if (dismiss) failure.append(dismiss);
    if (alert) alert.replaceWith(failure);
    else document.getElementById("task-alerts")?.append(failure);
  }

  /* The same form the server renders: a POST that stops showing this failure. */
  function dismissForm(taskId) {
    const url = document.getElementById("task-alerts")?.dataset.dismissUrl;
    if (!url) return null;
    const form = document.createElement("form");
    form.method = "post";
    form.action = url;
    form.className = "task-dismiss";
    const fields = {
      csrfmiddlewaretoken: window.Microblog.csrfToken(),
      task_id: taskId,
      next: window.location.pathname + window.location.search,
    };
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn-close";
    button.setAttribute("aria-label", gettext("Dismiss"));
    form.append(button);
    return form;
  }

  function newProgressAlert(data) {
    const container = document.getElementById("task-alerts");
    if (!container) return null;
    const alert = document.createElement("div");
    alert.className = "alert alert-success";
    alert.setAttribute("role", "status");
    alert.id = `${data.task_id}-alert`;
    const progress = document.createElement("span");
    progress.id = `${data.task_id}-progress`;
    alert.append(`${data.description} `, progress, "%");
    container.append(alert);
    return alert;
  }

  function setTaskProgress(data) {
    if (!data || !data.task_id) return;
    let alert = document.getElementById(`${data.task_id}-alert`);
    if (data.failed) {
      showFailure(alert, data);
      return;
    }
    if (!alert) {
      if (data.progress >= 100) return; // finished before this page saw it run
      alert = newProgressAlert(data);
      if (!alert) return;
    }
    document.getElementById(`${data.task_id}-progress`).textContent = String(data.progress);
    if (data.progress >= 100) setTimeout(() => alert.remove(), REMOVE_FINISHED_AFTER);
  }

  const HANDLERS = {
    unread_message_count: setMessageCount,
    task_progress: setTaskProgress,
  };

  function start(link) {
    const url = link.dataset.notificationsUrl;
    const seconds = Number(link.dataset.pollSeconds) || 10;
    let since = Number(link.dataset.since) || 0;
    let busy = false;

    async function poll() {
      if (busy) return;
      busy = true;
      try {
        const response = await fetch(`${url}?since=${encodeURIComponent(since)}`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const notifications = await response.json();
        for (const notification of notifications) {
          since = Math.max(since, notification.timestamp);
          const handler = HANDLERS[notification.name];
          if (handler) handler(notification.data);
        }
      } catch (error) {
        // Offline, signed out or a server hiccup: the next poll tries again.
      } finally {
        busy = false;
      }
    }

    setInterval(poll, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const link = document.getElementById("messages-link");
    if (link && link.dataset.notificationsUrl) start(link);
  });
})();
