// Save buttons: marked pressed for the postings saved on this device, which the signed
// cookie lists ("41a.17.9:<timestamp>:<signature>"), and saved or removed in place. Without
// this script each button still sends the page's save form, and the "Saved" page answers.
(function () {
  "use strict";
  var form = document.getElementById("save-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("save-status");
  var count = document.querySelector(".saved-link__count");

  function savedIds() {
    var match = document.cookie.match(/(?:^|;\s*)jobboard_saved="?([^;"]*)/);
    var ids = {};
    if (match) {
      match[1].split(":")[0].split(".").forEach(function (item) {
        if (item) {
          ids[item.replace(/a$/, "")] = true;
        }
      });
    }
    return ids;
  }

  function showCount(n) {
    if (count) {
      count.textContent = n ? " (" + n + ")" : "";
    }
  }

  function mark(id, saved) {
    document.querySelectorAll("button.save-button").forEach(function (button) {
      if (button.value === id) {
        button.setAttribute("aria-pressed", saved ? "true" : "false");
      }
    });
  }

  var ids = savedIds();
  showCount(Object.keys(ids).length);
  document.querySelectorAll("button.save-button").forEach(function (button) {
    button.setAttribute("aria-pressed", ids[button.value] ? "true" : "false");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var saving = button.getAttribute("aria-pressed") !== "true";
      data.set("posting", button.value);
      data.set("action", saving ? "save" : "remove");
      // form.action would be the input named "action": the attribute is the address.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      }).then(function (answer) {
        mark(button.value, answer.saved);
        showCount(answer.count);
        status.textContent = answer.saved ? form.dataset.saved : form.dataset.removed;
      }).catch(function () {
        form.requestSubmit(button);  // the page the server answers says what happened
      });
    });
  });
})();
