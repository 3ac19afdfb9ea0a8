// The searchable checkbox list (jobs.form_fields.CountryCheckboxes): typing hides the
// options whose name, code or alias does not contain the text. Without JavaScript the search
// field is hidden by CSS and the whole list scrolls.
"use strict";
// Admin puts form media in the head: wait for the form.
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-choice-filter]").forEach((box) => {
  box.classList.add("choice-filter--ready");
  const input = box.querySelector("[data-choice-filter-input]");
  const options = Array.from(box.querySelectorAll("input[type=checkbox]"));
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const items = options.map((option) => {
    const label = option.closest("label") || option.parentElement;
    return {
      row: label.closest("div") || label,
      text: fold(`${label.textContent} ${option.dataset.search || ""}`),
    };
  });
  input.addEventListener("input", () => {
    const wanted = fold(input.value.trim());
    items.forEach(({ row, text }) => {
      row.hidden = wanted !== "" && !text.includes(wanted);
    });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
}));
